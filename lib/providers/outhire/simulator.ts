import { fixtureJson } from "../../simulator/fixtures";
import { randomPerson } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { ProviderSimulator } from "../types";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";

type Json = Record<string, any>;

const jobTitles = ["Account Executive", "Sales Development Representative", "Customer Success Manager", "Solutions Engineer", "Marketing Coordinator"] as const;
const pipeline = ["applied", "screen", "interview", "offer", "hired"] as const;
const skillsPool = ["Salesforce", "Cold calling", "HubSpot", "Negotiation", "SQL", "Public speaking"] as const;

/** Outhire: candidate.applied, then candidate.stage_changed along the pipeline, moved by a user, Joel (the AI agent) or the API. */
export function buildOuthireHistories(run: BuilderRun): CandidateHistory[] {
  const { rng } = run;
  const companyId = run.uniqueInt(rng, 100, 99_999);
  const jobs = rng.sample(jobTitles, 3).map((title) => ({ id: run.uniqueInt(rng, 100, 999_999), title }));
  const userIds = Array.from({ length: 3 }, () => rng.uuid());
  const ids = Array.from({ length: run.count }, () => run.uniqueInt(rng, 1_000, 9_999_999));
  return ids.map((id, index) => buildOne(run.candidateRng(index), run, { id, companyId, jobs, userIds }));
}

interface Plan {
  id: number;
  companyId: number;
  jobs: Array<{ id: number; title: string }>;
  userIds: string[];
}

function buildOne(rng: Rng, run: BuilderRun, plan: Plan): CandidateHistory {
  const { id } = plan;
  const person = randomPerson(rng, String(id));
  const job = rng.pick(plan.jobs);
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const publicId = `cand_${Array.from({ length: 6 }, () => rng.pick([..."abcdefghijklmnopqrstuvwxyz0123456789"])).join("")}`;
  const url = `https://app.outhire.ai/leads/${id}`;
  const deliveries: SimulatedDelivery[] = [];

  const push = (body: Json, at: Date, detail: string, stage: string | null) => {
    deliveries.push({
      body: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `outhire ${id} #${deliveries.length + 1} ${body.event}${detail}`,
      expected: { providerEvent: body.event, type: body.event === "candidate.applied" ? "applied" : "stage_changed", stage },
    });
  };

  // candidate.applied, shaped like the documented example.
  {
    const at = clock.now;
    const body = fixtureJson<Json>("outhire", "fixtures/candidate-applied.json");
    body.occurred_at = at.toISOString();
    Object.assign(body.candidate, {
      id,
      name: person.fullName,
      email: person.email,
      phone: person.phone,
      fit_score: rng.chance(0.15) ? null : rng.int(35, 98),
      applied_at: at.toISOString(),
      resume_url: rng.chance(0.8) ? `https://files.outhire.ai/resumes/${rng.uuid()}.pdf?expires=${Math.floor(at.getTime() / 1000) + 86_400}&sig=${rng.hex(32)}` : null,
      resume_data: rng.chance(0.5) ? { skills: rng.sample(skillsPool, 3), years_experience: rng.int(0, 15) } : {},
      url,
    });
    body.job = { id: job.id, title: job.title };
    body.company = { id: plan.companyId };
    push(body, at, "", null);
  }

  // Move along the pipeline, sometimes skipping a step, sometimes rejected, sometimes left mid-way.
  let stage: string = "applied";
  let index = 0;
  const lastIndex = rng.weighted([
    [2, 0.25],
    [3, 0.25],
    [4, 0.5],
  ] as const);
  while (index < lastIndex) {
    let next: string;
    if (index >= 1 && rng.chance(0.15)) {
      next = "rejected";
    } else {
      index += index === 0 && lastIndex > 2 && rng.chance(0.15) ? 2 : 1;
      next = pipeline[index];
    }
    const at = clock.advance();
    const changedBy = rng.weighted([
      ["user", 0.6],
      ["joel", 0.3],
      ["api", 0.1],
    ] as const);
    const body = fixtureJson<Json>("outhire", "fixtures/candidate-stage-changed.json");
    body.occurred_at = at.toISOString();
    Object.assign(body.candidate, { id, public_id: publicId, name: person.fullName, email: person.email, url });
    body.job = { id: job.id, title: job.title };
    body.company = { id: plan.companyId };
    body.stage_change = {
      previous_stage: stage,
      new_stage: next,
      changed_by: changedBy,
      changed_by_user_id: changedBy === "user" ? rng.pick(plan.userIds) : null,
    };
    push(body, at, ` ${stage} → ${next} by ${changedBy}`, next);
    stage = next;
    if (next === "rejected") break;
  }
  return { provider: "outhire", candidateId: String(id), name: person.fullName, email: person.email, deliveries };
}

export const outhireSimulator: ProviderSimulator = {
  buildHistories: buildOuthireHistories,
  coverageSeed: 1,
  burstSeeds: [8, 1, 34],
  fixtureCandidateIdPath: ["candidate", "id"],
};
