import { fixtureJson, isoSeconds } from "../../simulator/fixtures";
import { randomPerson, randomPhone, asciiSlug, type SimPerson } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { ProviderSimulator } from "../types";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";

type Json = Record<string, any>;

interface GhUser {
  id: number;
  name: string;
  email: string;
}

interface GhJob {
  id: number;
  name: string;
  jobPostId: number;
  department: { id: number; name: string };
  office: { id: number; name: string; location: string | null };
  createdAt: string;
  openedAt: string;
  stageIds: Record<string, number>;
}

const stageNames = ["Application Review", "Phone Screen", "Onsite", "Offer"] as const;
type StageName = (typeof stageNames)[number];

const jobCatalog = [
  { name: "Designer", department: "Community" },
  { name: "Developer", department: "Technology" },
  { name: "Account Executive", department: "Sales" },
  { name: "Data Analyst", department: "Analytics" },
  { name: "Customer Success Manager", department: "Customer Success" },
  { name: "Site Reliability Engineer", department: "Technology" },
] as const;

const offices = [
  { name: "New York", location: "New York, NY" },
  { name: "London", location: "London, UK" },
  { name: "Berlin", location: null },
  { name: "São Paulo", location: "São Paulo, BR" },
  { name: "Tokyo", location: "Tokyo, JP" },
] as const;

const sources = [
  { id: 13, public_name: "Referral" },
  { id: 27, public_name: "LinkedIn" },
  { id: 25, public_name: "Monster" },
  { id: 31, public_name: "Agency" },
  { id: 5, public_name: "Company Website" },
  { id: 19, public_name: "Indeed" },
] as const;

const userNames = ["Ada Lacey", "Carl Buddha", "Alicia Flopple", "Hank Hollandaise", "Sterling Kang", "Mariana Costa"] as const;

const rejectionReasons = [
  { id: 14, name: "Too Junior", type: { id: 3, name: "Wrong skill set" } },
  { id: 11, name: "Lacking skill(s)/qualification(s)", type: { id: 3, name: "Wrong skill set" } },
  { id: 21, name: "Hired another candidate", type: { id: 1, name: "We rejected them" } },
  { id: 8, name: "Compensation expectations", type: { id: 2, name: "They rejected us" } },
] as const;

const schools = ["Harvard University", "Universidad de Buenos Aires", "KTH Royal Institute of Technology", "University of Lagos", "Tsinghua University", "Trinity College Dublin"] as const;
const employers = ["Greenhouse", "Initech", "Globex", "Umbrella Analytics", "Hooli", "Stark Industries"] as const;
const titles = ["Engineer", "Designer", "Analyst", "Account Manager", "Consultant", "Team Lead"] as const;
const updateTags = ["Top Talent", "Relocation", "Silver Medalist", "Referral", "Remote Only"] as const;

export function buildGreenhouseHistories(run: BuilderRun): CandidateHistory[] {
  const { rng } = run;
  const users: GhUser[] = userNames.map((name) => {
    const id = run.uniqueInt(rng, 1000, 999_999);
    return { id, name, email: `${asciiSlug(name.split(" ")[0])}.${asciiSlug(name.split(" ")[1])}.${id}@example.com` };
  });
  const jobs: GhJob[] = rng.sample(jobCatalog, 3).map((job) => {
    const office = rng.pick(offices);
    const stageIds = Object.fromEntries(stageNames.map((stage) => [stage, run.uniqueInt(rng, 1_000_000, 9_999_999)]));
    return {
      id: run.uniqueInt(rng, 100_000, 999_999),
      name: job.name,
      jobPostId: run.uniqueInt(rng, 10_000, 999_999),
      department: { id: run.uniqueInt(rng, 100, 99_999), name: job.department },
      office: { id: run.uniqueInt(rng, 10, 9_999), name: office.name, location: office.location },
      createdAt: isoSeconds(new Date(run.startAt.getTime() - rng.int(30, 90) * 86_400_000)),
      openedAt: isoSeconds(new Date(run.startAt.getTime() - rng.int(5, 29) * 86_400_000)),
      stageIds,
    };
  });

  const candidateIds = Array.from({ length: run.count }, () => run.uniqueInt(rng, 10_000_000, 99_999_999));
  // Occasionally a candidate turns out to be a duplicate and is merged into another simulated candidate.
  const mergeInto = new Map<number, number>();
  if (run.count >= 2) {
    for (let i = 1; i < run.count; i++) {
      if (!rng.chance(0.12)) continue;
      const targets = candidateIds.map((_, j) => j).filter((j) => j !== i && !mergeInto.has(j));
      if (targets.length > 0) mergeInto.set(i, rng.pick(targets));
    }
    // A merge target must not itself be merged away.
    for (const target of [...mergeInto.values()]) mergeInto.delete(target);
  }

  return candidateIds.map((candidateId, index) =>
    buildOne(run.candidateRng(index), run, {
      candidateId,
      applicationId: run.uniqueInt(rng, 100_000_000, 999_999_999),
      jobs,
      users,
      mergeTarget: mergeInto.has(index) ? candidateIds[mergeInto.get(index)!] : null,
    }),
  );
}

interface CandidatePlan {
  candidateId: number;
  applicationId: number;
  jobs: GhJob[];
  users: GhUser[];
  mergeTarget: number | null;
}

function buildOne(rng: Rng, run: BuilderRun, plan: CandidatePlan): CandidateHistory {
  const { candidateId, applicationId, users } = plan;
  const person = randomPerson(rng, String(candidateId));
  const job = rng.pick(plan.jobs);
  const source = rng.pick(sources);
  const recruiter = rng.pick(users);
  const coordinator = rng.chance(0.7) ? rng.pick(users) : null;
  const creditedTo = source.public_name === "Referral" || rng.chance(0.3) ? rng.pick(users) : null;
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const appliedAt = clock.now;

  const candidate = baseCandidate(rng, person, candidateId, appliedAt, recruiter, coordinator);
  const deliveries: SimulatedDelivery[] = [];
  let currentStage: StageName | null = null;
  let prospect = true;

  const push = (body: Json, at: Date, detail: string, type: SimulatedDelivery["expected"]["type"], stage: string | null) => {
    deliveries.push({
      body: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `greenhouse ${candidateId} #${deliveries.length + 1} ${body.action}${detail}`,
      expected: { providerEvent: body.action, type, stage },
    });
  };

  const applicationBody = (file: string, at: Date): Json => {
    const body = fixtureJson<Json>("greenhouse", file);
    const app = body.payload.application;
    app.id = applicationId;
    app.prospect = prospect;
    app.applied_at = isoSeconds(appliedAt);
    app.last_activity_at = isoSeconds(at);
    app.url = `https://app.greenhouse.io/people/${candidateId}?application_id=${applicationId}`;
    app.source = { ...source };
    app.credited_to = creditedTo ? { ...creditedTo } : null;
    app.current_stage = currentStage ? stageObject(job, currentStage, rng, users, candidateId) : null;
    app.candidate = structuredClone(candidate);
    app.jobs = [jobObject(job, app.jobs?.[0])];
    return body;
  };

  // 1. Prospect created.
  {
    const body = applicationBody("fixtures/new-prospect-application.json", appliedAt);
    push(body, appliedAt, "", "prospect_created", null);
  }

  const stageChange = (stage: StageName) => {
    currentStage = stage;
    prospect = false;
    const at = clock.advance();
    const body = applicationBody("fixtures/candidate-stage-change.json", at);
    body.payload.application.status = "active";
    body.payload.application.rejected_at = null;
    push(body, at, ` → ${stage}`, "stage_changed", stage);
  };

  const update = (kind: "any" | "short" = "any") => {
    const at = clock.advance(kind);
    const changes = applyCandidateUpdate(rng, candidate, job);
    const body = fixtureJson<Json>("greenhouse", "fixtures/update-candidate.json");
    body.payload.candidate = structuredClone(candidate);
    push(body, at, ` (${changes.join(", ")})`, "updated", null);
  };

  if (plan.mergeTarget !== null) {
    // A duplicate record: reviewed, touched up, then merged into the surviving candidate.
    stageChange("Application Review");
    update();
    const at = clock.advance();
    const body = fixtureJson<Json>("greenhouse", "fixtures/merge-candidate.json");
    // Applications usually move to the surviving record, so the merge lists none as deleted.
    body.payload.person = personObject(body.payload.person, candidate, person, users, recruiter, coordinator);
    body.payload.person.new_candidate_id = plan.mergeTarget;
    push(body, at, ` → ${plan.mergeTarget}`, "merged", null);
    return history(candidateId, person, deliveries);
  }

  stageChange("Application Review");
  stageChange("Phone Screen");
  update();
  stageChange("Onsite");

  const outcome = rng.weighted([
    ["hire", 0.5],
    ["reject", 0.35],
    ["reject-unreject-hire", 0.15],
  ] as const);

  const hire = () => {
    if (currentStage !== "Offer" && rng.chance(0.6)) stageChange("Offer");
    const at = clock.advance("long");
    const body = applicationBody("fixtures/hire-candidate.json", at);
    const app = body.payload.application;
    app.status = "hired";
    app.rejected_at = null;
    app.opening = { opening_id: `${job.id}-${rng.int(1, 9)}` };
    app.job = deprecatedJobObject(job, app.job);
    app.offer = offerObject(rng, app.offer, at);
    push(body, at, "", "hired", currentStage);
  };

  const reject = () => {
    const at = clock.advance();
    const body = applicationBody("fixtures/reject-candidate.json", at);
    const app = body.payload.application;
    app.status = "rejected";
    app.rejected_at = isoSeconds(at);
    const reason = rng.pick(rejectionReasons);
    app.rejection_reason = structuredClone(reason);
    push(body, at, ` (${reason.name})`, "rejected", currentStage);
  };

  if (outcome === "hire") {
    hire();
  } else if (outcome === "reject") {
    reject();
    if (rng.chance(0.35)) {
      const at = clock.advance("long");
      const body = fixtureJson<Json>("greenhouse", "fixtures/delete-candidate.json");
      body.payload.person = personObject(body.payload.person, candidate, person, users, recruiter, coordinator);
      body.payload.person.deleted_application_ids = [applicationId];
      push(body, at, "", "deleted", null);
    }
  } else {
    reject();
    const at = clock.advance();
    const body = applicationBody("fixtures/unreject-candidate.json", at);
    const app = body.payload.application;
    app.status = "active";
    app.rejected_at = null;
    app.rejection_reason = null;
    app.rejection_details = null;
    push(body, at, "", "unrejected", currentStage);
    hire();
  }
  return history(candidateId, person, deliveries);
}

function history(candidateId: number, person: SimPerson, deliveries: SimulatedDelivery[]): CandidateHistory {
  return { provider: "greenhouse", candidateId: String(candidateId), name: `${person.firstName} ${person.lastName}`, email: person.email, deliveries };
}

function baseCandidate(rng: Rng, person: SimPerson, id: number, createdAt: Date, recruiter: GhUser, coordinator: GhUser | null): Json {
  // The stage-change example has the fullest candidate; every event carries the same shape.
  const candidate = fixtureJson<Json>("greenhouse", "fixtures/candidate-stage-change.json").payload.application.candidate;
  const slug = `${asciiSlug(person.firstName) || "c"}${asciiSlug(person.lastName)}${id % 1000}`;
  const start = rng.int(2004, 2018);
  Object.assign(candidate, {
    id,
    first_name: person.firstName,
    last_name: person.lastName,
    title: rng.chance(0.6) ? rng.pick(titles) : null,
    company: rng.chance(0.5) ? rng.pick(employers) : null,
    created_at: isoSeconds(createdAt),
    external_id: rng.chance(0.3) ? rng.hex(24) : null,
    photo_url: null,
    url: `https://app.greenhouse.io/people/${id}`,
    phone_numbers: [{ value: person.phone, type: rng.pick(["mobile", "home", "work"]) }],
    email_addresses: [{ value: person.email, type: "personal" }],
    addresses: [],
    website_addresses: rng.chance(0.3) ? [{ value: `${slug}.example.com`, type: "personal" }] : [],
    social_media_addresses: rng.chance(0.6) ? [{ value: `linkedin.example.com/in/${slug}` }] : [],
    educations: [
      {
        school_name: rng.pick(schools),
        degree: rng.pick(["Bachelor's Degree", "Master's Degree", "Associate's Degree"]),
        discipline: rng.pick(["Information Systems", "Computer Science", "Economics", "Graphic Design", "Mathematics"]),
        start_date: `01/09/${start}`,
        end_date: `01/06/${start + 4}`,
      },
    ],
    employments: [
      {
        company_name: rng.pick(employers),
        title: rng.pick(titles),
        start_date: `01/01/${start + 4}`,
        end_date: rng.chance(0.5) ? null : `01/01/${start + 6}`,
      },
    ],
    recruiter: { ...recruiter },
    coordinator: coordinator ? { ...coordinator } : null,
    attachments: [{ filename: `${slug}_resume.pdf`, url: "https://prod-heroku.s3.amazonaws.com/...", type: "resume" }],
    tags: rng.chance(0.5) ? ["Import from Previous ATS"] : [],
  });
  candidate.custom_fields.favorite_color.value = rng.pick(["Blue", "Green", "Teal", "Orange", null]);
  return candidate;
}

/** An update_candidate edit: one or two of title, tag, phone, email. Returns what changed. */
function applyCandidateUpdate(rng: Rng, candidate: Json, job: GhJob): string[] {
  const changes = rng.sample(["title", "tag", "phone", "email"] as const, rng.int(1, 2));
  for (const change of changes) {
    if (change === "title") candidate.title = rng.pick([`Senior ${job.name}`, `Lead ${job.name}`, `${job.name} II`]);
    if (change === "tag") candidate.tags = [...candidate.tags, rng.pick(updateTags.filter((t) => !candidate.tags.includes(t)))];
    if (change === "phone") candidate.phone_numbers = [{ value: randomPhone(rng), type: "mobile" }, ...candidate.phone_numbers.map((p: Json) => ({ ...p, type: "other" }))].slice(0, 2);
    if (change === "email") {
      const [local] = candidate.email_addresses[0].value.split("@");
      candidate.email_addresses = [...candidate.email_addresses, { value: `${local}@work.example.com`, type: "work" }];
    }
  }
  return changes.map((c) => `${c} changed`);
}

function stageObject(job: GhJob, stage: StageName, rng: Rng, users: GhUser[], candidateId: number): Json {
  const interviews =
    stage === "Phone Screen" || stage === "Onsite"
      ? [
          {
            id: job.stageIds[stage] + 17,
            name: stage === "Onsite" ? "Onsite Interview" : "Phone Screen",
            status: rng.pick(["to_be_scheduled", "scheduled", "collect_feedback"]),
            interview_kit: {
              url: `https://app.greenhouse.io/guides/${job.stageIds[stage] + 17}/people/${candidateId}`,
              content: stage === "Onsite" ? "Assess their skills" : "Check motivation and basics",
              questions: [],
            },
            interviewers: rng.sample(users, stage === "Onsite" ? 2 : 1).map((u) => ({ id: u.id, display_name: u.name, status: rng.pick(["tentative", "accepted"]) })),
          },
        ]
      : [];
  return { id: job.stageIds[stage], name: stage, interviews };
}

function jobObject(job: GhJob, template: Json | undefined): Json {
  return {
    ...(template ?? {}),
    id: job.id,
    name: job.name,
    requisition_id: null,
    notes: template?.notes ?? null,
    job_post_id: job.jobPostId,
    status: "open",
    created_at: job.createdAt,
    opened_at: job.openedAt,
    closed_at: null,
    departments: [{ ...job.department }],
    offices: [{ ...job.office }],
    custom_fields: template?.custom_fields ?? {},
  };
}

function deprecatedJobObject(job: GhJob, template: Json | undefined): Json {
  return {
    ...(template ?? {}),
    id: job.id,
    name: job.name,
    open_date: job.openedAt,
    close_date: null,
    requisition_id: null,
    departments: [{ ...job.department }],
    offices: [{ ...job.office }],
  };
}

function offerObject(rng: Rng, template: Json | undefined, at: Date): Json {
  const created = new Date(at.getTime() - rng.int(2, 6) * 86_400_000);
  const start = new Date(at.getTime() + rng.int(14, 45) * 86_400_000);
  const offer = structuredClone(template ?? {});
  return {
    ...offer,
    id: rng.int(100_000, 999_999),
    version: rng.int(1, 2),
    created_at: isoSeconds(created),
    sent_at: isoSeconds(created).slice(0, 10),
    resolved_at: isoSeconds(at),
    starts_at: isoSeconds(start).slice(0, 10),
    custom_fields: {
      ...(offer.custom_fields ?? {}),
      salary: { name: "Salary", type: "currency", value: { amount: rng.int(55, 160) * 1000, unit: rng.pick(["USD", "EUR", "GBP"]) } },
    },
  };
}

function personObject(template: Json, candidate: Json, person: SimPerson, users: GhUser[], recruiter: GhUser, coordinator: GhUser | null): Json {
  return {
    ...template,
    id: candidate.id,
    first_name: person.firstName,
    last_name: person.lastName,
    company: candidate.company,
    title: candidate.title,
    created_at: candidate.created_at,
    headline: candidate.title ? `${candidate.title} looking for a new challenge` : null,
    is_private: false,
    recruiter_user_id: recruiter.id,
    coordinator_user_id: coordinator?.id ?? users[0].id,
    can_email: true,
  };
}

export const greenhouseSimulator: ProviderSimulator = {
  buildHistories: buildGreenhouseHistories,
  coverageSeed: 4,
  burstSeeds: [3, 7, 12],
  fixtureCandidateIdPath: ["payload", "application", "candidate", "id"],
};
