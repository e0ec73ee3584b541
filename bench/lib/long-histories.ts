/**
 * Long single-candidate histories for the timeline benchmark, built from the simulator's realistic
 * bodies (lib/simulator) and continued for thousands of steps. Pure and deterministic: same seed,
 * same bytes. Import only after the bench has set its environment.
 */
import { buildHistories, type SimulatedDelivery } from "../../lib/simulator/build-histories";
import { fixtureJson, isoSeconds, MINUTE } from "../../lib/simulator/fixtures";
import { randomPhone } from "../../lib/simulator/people";
import { Rng } from "../../lib/simulator/random";

type Json = Record<string, any>;

export type BenchDelivery = Pick<SimulatedDelivery, "body" | "contentType" | "query" | "method" | "occurredAt">;

/** Gaps between steps: minutes to a day and a half, so 5,000 steps span a few years. */
function advance(rng: Rng, time: number): number {
  return time + rng.weighted([[rng.int(3, 110), 0.5], [rng.int(120, 1_320), 0.4], [rng.int(1_440, 2_160), 0.1]] as const) * MINUTE + rng.int(0, 59) * 1000;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), "utf8");

/**
 * One Talview candidate with `steps` deliveries: `created`, then `updated` snapshots (the full
 * candidate each time, as Talview sends it) that change one to three fields each, plus the
 * updated_at/updated_by bubble-up. Talview payloads state no stage, so these events have none.
 */
export function talviewLongHistory(steps: number, seed = "bench-timeline-talview"): BenchDelivery[] {
  const rng = new Rng(seed);
  const [history] = buildHistories({ provider: "talview", candidates: 1, seed });
  const last = history.deliveries.filter((d) => d.query?.event !== "can.candidate.deleted").at(-1)!;
  const snapshot = JSON.parse(last.body.toString("utf8")) as Json;
  let time = Date.parse(snapshot.updated_at);
  let nextSubId = Number(snapshot.id) * 100;
  const users = [snapshot.created_by ?? 1, 2201, 2202, 2203];
  const out: BenchDelivery[] = [];
  const push = (event: string) =>
    out.push({ body: json(snapshot), contentType: "application/json", query: { event }, method: "POST", occurredAt: new Date(time) });
  push("can.candidate.created");

  const mutations = ["phone", "preferences", "skill", "experience", "social", "education"] as const;
  for (let i = 1; i < steps; i++) {
    time = advance(rng, time);
    const stamp = isoSeconds(new Date(time));
    const by = rng.pick(users);
    const touch = (row: Json) => Object.assign(row, { updated_at: stamp, updated_by: by });
    for (const mutation of rng.sample(mutations, rng.int(1, 3))) {
      if (mutation === "phone") snapshot.phone_number = randomPhone(rng);
      else if (mutation === "preferences") {
        snapshot.notice_period = rng.pick(["Immediate", "15 days", "30 days", "60 days", "90 days"]);
        snapshot.expected_salary = rng.pick(["USD 95,000", "USD 110,000", "EUR 70.000", "GBP 60,000"]);
        snapshot.total_years_experience = rng.int(1, 20);
      } else if (mutation === "skill") {
        if (snapshot.skill_proficiencies.length < 4 || rng.chance(0.2)) {
          snapshot.skill_proficiencies.push({
            id: ++nextSubId, skill_id: 4100 + rng.int(1, 40), proficiency: "intermediate", proficiency_label: "Intermediate",
            last_used: String(rng.int(2021, 2025)), evidence_snippet: { source: "resume", text: `${rng.int(1, 8)} years` },
            created_at: stamp, created_by: by, updated_at: stamp, updated_by: by,
          });
          if (snapshot.skill_proficiencies.length > 8) snapshot.skill_proficiencies.shift();
        } else {
          const skill = rng.pick(snapshot.skill_proficiencies as Json[]);
          const level = rng.pick([["beginner", "Beginner"], ["intermediate", "Intermediate"], ["advanced", "Advanced"], ["expert", "Expert"]] as const);
          Object.assign(skill, { proficiency: level[0], proficiency_label: level[1] });
          touch(skill);
        }
      } else if (mutation === "experience") {
        if (snapshot.experiences.length === 0 || rng.chance(0.15)) {
          snapshot.experiences.push({
            id: ++nextSubId, type: "full_time", organization: rng.pick(["Acme Corp", "Globex", "Initech"]), location: "Remote",
            designation: "Software Engineer", description: "Imported from résumé", started_at: `${rng.int(2012, 2022)}-01-01`,
            completed_at: null, is_current: true, responsibilities: ["Delivered features end to end"], tools_used: ["Git", "Jira"],
            external_id: null, created_at: stamp, created_by: by, updated_at: stamp, updated_by: by,
          });
          if (snapshot.experiences.length > 6) snapshot.experiences.shift();
        } else {
          const experience = rng.pick(snapshot.experiences as Json[]);
          experience.designation = rng.pick(["Software Engineer", "Senior Engineer", "Staff Engineer", "Team Lead", "Data Scientist"]);
          touch(experience);
        }
      } else if (mutation === "social") {
        if (snapshot.social_media_links.length >= 3) snapshot.social_media_links.shift();
        else
          snapshot.social_media_links.push({
            id: ++nextSubId, social_media: rng.pick(["linkedin", "github", "x"]), link: `https://social.example.com/${snapshot.id}-${nextSubId}`,
            created_at: stamp, created_by: by, updated_at: stamp, updated_by: by,
          });
      } else {
        if (snapshot.education.length === 0) {
          snapshot.education.push({
            id: ++nextSubId, title: "Bachelor of Science", type: "bachelors", field_of_study: "Computer Science", awarding_board: null,
            institute: "State University", grade: null, gpa_value: 3.1, started_at: "2010-09-01", completed_at: "2014-06-30",
            is_current: false, external_id: null, created_at: stamp, created_by: by, updated_at: stamp, updated_by: by,
          });
        } else {
          const education = rng.pick(snapshot.education as Json[]);
          education.gpa_value = rng.int(28, 40) / 10;
          education.grade = rng.pick(["A", "B", null]);
          touch(education);
        }
      }
    }
    snapshot.updated_at = stamp;
    snapshot.updated_by = by;
    push("can.candidate.updated");
  }
  return out;
}

const stageNames = ["Application Review", "Phone Screen", "Technical Interview", "Onsite", "Reference Check", "Offer"] as const;

/**
 * One Greenhouse candidate with `steps` deliveries across three applications (three jobs):
 * about 40% `candidate_stage_change` (application + full candidate snapshot, one stage
 * observation each), the rest `update_candidate` (candidate snapshot only) changing a field or two.
 */
export function greenhouseLongHistory(steps: number, seed = "bench-timeline-greenhouse"): BenchDelivery[] {
  const rng = new Rng(seed);
  const [history] = buildHistories({ provider: "greenhouse", candidates: 1, seed });
  const template = JSON.parse(history.deliveries.find((d) => d.expected.type === "stage_changed")!.body.toString("utf8")) as Json;
  const candidate = template.payload.application.candidate as Json;
  const baseApp = template.payload.application as Json;
  const apps = ["Developer", "Data Analyst", "Site Reliability Engineer"].map((name, k) => ({
    id: Number(baseApp.id) + k,
    job: { ...baseApp.jobs[0], id: Number(baseApp.jobs[0].id) + k, name },
    stageIds: stageNames.map((_, s) => 5_000_000 + k * 100 + s),
    stage: -1,
  }));
  let time = Date.parse(baseApp.last_activity_at);
  const out: BenchDelivery[] = [];
  const push = (body: Json) =>
    out.push({ body: json(body), contentType: "application/json", method: "POST", occurredAt: new Date(time) });

  for (let i = 0; i < steps; i++) {
    time = advance(rng, time);
    const stamp = isoSeconds(new Date(time));
    if (i < apps.length || rng.chance(0.4)) {
      const app = i < apps.length ? apps[i] : rng.pick(apps);
      app.stage = (app.stage + 1) % stageNames.length;
      const body = fixtureJson<Json>("greenhouse", "fixtures/candidate-stage-change.json");
      const application = body.payload.application;
      Object.assign(application, {
        ...structuredClone(baseApp),
        id: app.id,
        status: "active",
        rejected_at: null,
        prospect: false,
        last_activity_at: stamp,
        url: `https://app.greenhouse.io/people/${candidate.id}?application_id=${app.id}`,
        current_stage: { id: app.stageIds[app.stage], name: stageNames[app.stage], interviews: [] },
        jobs: [app.job],
        candidate: structuredClone(candidate),
      });
      push(body);
    } else {
      const change = rng.pick(["title", "tag", "phone", "email", "color"] as const);
      if (change === "title") candidate.title = rng.pick(["Engineer", "Senior Engineer", "Lead Engineer", "Analyst", "Consultant"]);
      else if (change === "tag") {
        const tag = rng.pick(["Top Talent", "Relocation", "Silver Medalist", "Referral", "Remote Only"]);
        candidate.tags = candidate.tags.includes(tag) ? candidate.tags.filter((t: string) => t !== tag) : [...candidate.tags, tag];
      } else if (change === "phone") candidate.phone_numbers = [{ value: randomPhone(rng), type: "mobile" }, ...candidate.phone_numbers].slice(0, 2);
      else if (change === "email") {
        const [local] = candidate.email_addresses[0].value.split("@");
        candidate.email_addresses = candidate.email_addresses.length > 1
          ? candidate.email_addresses.slice(0, 1)
          : [...candidate.email_addresses, { value: `${local}@work.example.com`, type: "work" }];
      } else candidate.custom_fields.favorite_color.value = rng.pick(["Blue", "Green", "Teal", "Orange", null]);
      candidate.updated_at = stamp;
      const body = fixtureJson<Json>("greenhouse", "fixtures/update-candidate.json");
      body.payload.candidate = structuredClone(candidate);
      push(body);
    }
  }
  return out;
}
