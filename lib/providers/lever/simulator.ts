import { fixtureJson } from "../../simulator/fixtures";
import { randomPerson } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";
import type { NormalizedEventType, ProviderSimulator } from "../types";

type Json = Record<string, any>;

// The documented example's two stage ids, then more in the same form; Lever names stages in its API only.
const pipeline = [
  "992f01a9-ee19-41d2-ae79-1040701b195c",
  "7c2690d8-6308-4ed9-ae2a-cbfe7db26593",
  "1f7b3c4e-5a6d-4e8f-9a0b-1c2d3e4f5a6b",
  "2a8c4d5f-6b7e-4f90-a1b2-c3d4e5f6a7b8",
  "3b9d5e6a-7c8f-4a01-b2c3-d4e5f6a7b8c9",
] as const;
const archiveReasons = ["63dd55b2-a99f-4e7b-985f-22c7bf80ab42", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"] as const;

/** Lever: applicationCreated, stage changes along the pipeline, then archived (rejected), hired, sometimes unarchived or deleted. */
export function buildLeverHistories(run: BuilderRun): CandidateHistory[] {
  const users = Array.from({ length: 3 }, () => run.rng.uuid());
  const ids = Array.from({ length: run.count }, () => ({ id: run.rng.uuid(), tag: run.uniqueInt(run.rng, 1_000, 9_999_999) }));
  return ids.map(({ id, tag }, index) => buildOne(run.candidateRng(index), run, id, tag, users));
}

function buildOne(rng: Rng, run: BuilderRun, opportunityId: string, tag: number, users: string[]): CandidateHistory {
  const person = randomPerson(rng, String(tag));
  const contactId = rng.uuid();
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const deliveries: SimulatedDelivery[] = [];

  const push = (event: string, data: Json, type: NormalizedEventType, stage: string | null, detail = "") => {
    const at = deliveries.length === 0 ? clock.now : clock.advance();
    if (data.toArchived) data.toArchived.archivedAt = at.getTime();
    const body = fixtureJson<Json>("lever", "fixtures/candidate-stage-change.json");
    body.event = event;
    body.triggeredAt = at.getTime();
    body.data = { opportunityId, contactId, ...data };
    deliveries.push({
      body: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `lever ${opportunityId.slice(0, 8)} #${deliveries.length + 1} ${event}${detail}`,
      expected: { providerEvent: event, type, stage },
    });
  };

  push("applicationCreated", { applicationId: rng.uuid() }, "applied", null);
  let at = 0;
  const last = rng.int(2, pipeline.length - 1);
  while (at < last) {
    const next = at + (rng.chance(0.15) && at + 2 <= last ? 2 : 1);
    push("candidateStageChange", { fromStageId: pipeline[at], toStageId: pipeline[next] }, "stage_changed", pipeline[next], ` → ${pipeline[next].slice(0, 8)}`);
    at = next;
  }
  if (at === pipeline.length - 1 && rng.chance(0.6)) {
    push("candidateHired", {}, "hired", null);
  } else if (rng.chance(0.7)) {
    const archived = { archivedAt: 0, reason: rng.pick(archiveReasons) };
    push("candidateArchiveChange", { fromArchived: null, toArchived: archived }, "rejected", null);
    if (rng.chance(0.3)) push("candidateArchiveChange", { fromArchived: archived, toArchived: null }, "unrejected", null);
  }
  if (rng.chance(0.1)) push("candidateDeleted", { deletedBy: rng.pick(users) }, "deleted", null);
  // Lever sends ids only: the history knows the candidate by its opportunity id.
  return { provider: "lever", candidateId: opportunityId, name: person.fullName, email: person.email, deliveries };
}

export const leverSimulator: ProviderSimulator = {
  buildHistories: buildLeverHistories,
  coverageSeed: 2,
  burstSeeds: [3, 7, 12],
  fixtureCandidateIdPath: ["data", "opportunityId"],
};
