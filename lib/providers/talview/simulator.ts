import { fixtureJson, isoSeconds } from "../../simulator/fixtures";
import { asciiSlug, randomPerson, randomPhone } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { ProviderSimulator } from "../types";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";

type Json = Record<string, any>;
type TalviewEvent = "can.candidate.created" | "can.candidate.updated" | "can.candidate.deleted";

const countries = ["USA", "India", "United Kingdom", "Germany", "Brazil", "Japan", "Sweden", "Nigeria", "Ireland", "Poland"] as const;
const institutes = ["State University", "IIT Bombay", "Universität Wien", "Universidade de São Paulo", "University of Cape Town", "Lund University"] as const;
const organizations = ["Acme Corp", "Globex", "Initech", "Soylent Systems", "Wayne Enterprises", "Umbrella Analytics"] as const;
const designations = ["Software Engineer", "QA Analyst", "Product Designer", "Sales Associate", "Data Scientist", "Support Lead"] as const;
const skills = [
  { label: "TypeScript", id: 4101 },
  { label: "SQL", id: 4102 },
  { label: "Stakeholder management", id: 4103 },
  { label: "Figma", id: 4104 },
  { label: "Python", id: 4105 },
  { label: "Negotiation", id: 4106 },
] as const;

type Mutation = "education" | "experience" | "skill" | "phone" | "social" | "preferences";

const mutationLabels: Record<Mutation, string> = {
  education: "education added",
  experience: "experience added",
  skill: "skill added",
  phone: "phone changed",
  social: "social link added",
  preferences: "notice period and salary set",
};

/**
 * Talview posts the full candidate snapshot on every event: created, then one `updated` per change
 * (subordinate records bubble up to the candidate), and on deletion the last snapshot again.
 */
export function buildTalviewHistories(run: BuilderRun): CandidateHistory[] {
  const { rng } = run;
  // Talview binds one method to each subscription, so the method is chosen per event for the run.
  const methodFor = (): string =>
    rng.weighted([
      ["POST", 0.6],
      ["PUT", 0.25],
      ["PATCH", 0.15],
    ] as const);
  const methods: Record<TalviewEvent, string> = {
    "can.candidate.created": methodFor(),
    "can.candidate.updated": methodFor(),
    "can.candidate.deleted": methodFor(),
  };
  const recruiterUserIds = Array.from({ length: 4 }, () => run.uniqueInt(rng, 1, 9_999));
  const ids = Array.from({ length: run.count }, () => run.uniqueInt(rng, 1_000, 9_999_999));
  return ids.map((id, index) => buildOne(run.candidateRng(index), run, id, methods, recruiterUserIds));
}

function buildOne(rng: Rng, run: BuilderRun, id: number, methods: Record<TalviewEvent, string>, recruiters: number[]): CandidateHistory {
  const person = randomPerson(rng, String(id));
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const createdAt = isoSeconds(clock.now);
  const creator = rng.pick(recruiters);
  let nextSubId = id * 10;

  const snapshot = fixtureJson<Json>("talview", "fixtures/candidate-created.json");
  Object.assign(snapshot, {
    id,
    first_name: person.firstName,
    middle_name: rng.chance(0.25) ? rng.pick(["Marie", "Luis", "Anne", "Kofi", "Sofía"]) : null,
    last_name: person.lastName,
    email: person.email,
    phone_number: person.phone,
    country: rng.pick(countries),
    user_id: run.uniqueInt(rng, 100, 9_999_999),
    external_id: rng.chance(0.6) ? `ext_can_${id}` : null,
    is_tnc_accepted: rng.chance(0.5),
    created_at: createdAt,
    created_by: creator,
    updated_at: createdAt,
    updated_by: creator,
  });

  const deliveries: SimulatedDelivery[] = [];
  const push = (event: TalviewEvent, at: Date, detail: string) => {
    deliveries.push({
      body: Buffer.from(JSON.stringify(snapshot, null, 2), "utf8"),
      contentType: "application/json",
      query: { event },
      method: methods[event],
      occurredAt: at,
      label: `talview ${id} #${deliveries.length + 1} ${event}${detail}`,
      expected: { providerEvent: event, type: event === "can.candidate.created" ? "created" : event === "can.candidate.updated" ? "updated" : "deleted", stage: null },
    });
  };
  push("can.candidate.created", clock.now, "");

  const pool: Mutation[] = ["education", "experience", "skill", "phone", "social", "preferences"];
  const steps = rng.sample(pool, rng.int(2, 4));
  if (rng.chance(0.4)) steps.push("skill");
  for (const mutation of steps) {
    const at = clock.advance();
    const stamp = isoSeconds(at);
    const by = rng.pick(recruiters);
    const audit = { created_at: stamp, created_by: by, updated_at: stamp, updated_by: by };
    const subId = ++nextSubId;
    if (mutation === "education") {
      const started = rng.int(2005, 2019);
      // Same keys, in the same order, as the documented updated example.
      snapshot.education.push({
        id: subId,
        title: rng.pick(["Bachelor of Science", "Master of Arts", "Bachelor of Engineering", "MBA"]),
        type: rng.pick(["bachelors", "masters"]),
        field_of_study: rng.pick(["Computer Science", "Economics", "Psychology", "Mechanical Engineering"]),
        awarding_board: null,
        institute: rng.pick(institutes),
        grade: null,
        gpa_value: rng.int(28, 40) / 10,
        started_at: `${started}-09-01`,
        completed_at: `${started + 4}-06-30`,
        is_current: false,
        external_id: null,
        ...audit,
      });
    } else if (mutation === "experience") {
      const started = rng.int(2012, 2022);
      const current = rng.chance(0.4);
      snapshot.experiences.push({
        id: subId,
        type: rng.pick(["full_time", "contract", "internship"]),
        organization: rng.pick(organizations),
        location: rng.pick(["Remote", "Berlin", "Bengaluru", "Austin, TX", "Kraków"]),
        designation: rng.pick(designations),
        description: "Imported from résumé",
        started_at: `${started}-0${rng.int(1, 9)}-01`,
        completed_at: current ? null : `${started + rng.int(1, 3)}-0${rng.int(1, 9)}-28`,
        is_current: current,
        responsibilities: ["Delivered features end to end", "Mentored new joiners"].slice(0, rng.int(1, 2)),
        tools_used: rng.sample(["Jira", "Git", "Excel", "Salesforce", "Docker"], 2),
        external_id: null,
        ...audit,
      });
    } else if (mutation === "skill") {
      const known = new Set(snapshot.skill_proficiencies.map((s: Json) => s.skill_id));
      const skill = rng.pick(skills.filter((s) => !known.has(s.id)));
      const level = rng.pick([
        ["beginner", "Beginner"],
        ["intermediate", "Intermediate"],
        ["advanced", "Advanced"],
        ["expert", "Expert"],
      ] as const);
      snapshot.skill_proficiencies.push({
        id: subId,
        skill_id: skill.id,
        proficiency: level[0],
        proficiency_label: level[1],
        last_used: String(rng.int(2021, 2025)),
        evidence_snippet: { source: "resume", text: `${rng.int(1, 8)} years of ${skill.label}` },
        ...audit,
      });
    } else if (mutation === "phone") {
      snapshot.phone_number = randomPhone(rng);
    } else if (mutation === "social") {
      snapshot.social_media_links.push({
        id: subId,
        social_media: "linkedin",
        link: `https://www.linkedin.com/in/${asciiSlug(person.firstName) || "candidate"}-${asciiSlug(person.lastName) || id}-${id}`,
        ...audit,
      });
    } else {
      snapshot.notice_period = rng.pick(["Immediate", "15 days", "30 days", "60 days", "90 days"]);
      snapshot.expected_salary = rng.pick(["USD 95,000", "EUR 70.000", "INR 18,00,000", "GBP 60,000"]);
      snapshot.total_years_experience = rng.int(1, 20);
    }
    // Subordinate changes touch the root's updated_at in the same transaction.
    snapshot.updated_at = stamp;
    snapshot.updated_by = by;
    push("can.candidate.updated", at, ` (${mutationLabels[mutation]})`);
  }

  if (rng.chance(0.2)) {
    // is_deleted is filtered out of payloads, so the deletion carries the last snapshot unchanged.
    push("can.candidate.deleted", clock.advance("long"), "");
  }
  return {
    provider: "talview",
    candidateId: String(id),
    name: [person.firstName, snapshot.middle_name, person.lastName].filter(Boolean).join(" "),
    email: person.email,
    deliveries,
  };
}

export const talviewSimulator: ProviderSimulator = {
  buildHistories: buildTalviewHistories,
  coverageSeed: 4,
  burstSeeds: [9, 4, 21],
  fixtureCandidateIdPath: ["id"],
};
