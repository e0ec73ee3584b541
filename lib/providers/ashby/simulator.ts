import { fixtureJson } from "../../simulator/fixtures";
import { randomPerson } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";
import type { NormalizedEventType, ProviderSimulator } from "../types";

type Json = Record<string, any>;

const jobTitles = ["First Designer", "Staff Engineer", "Account Executive", "Recruiting Coordinator", "Data Analyst"] as const;
const stages = [
  { title: "Application Review", type: "PreInterviewScreen" },
  { title: "Recruiter Screen", type: "Active" },
  { title: "Technical Interview", type: "Active" },
  { title: "Onsite", type: "Active" },
  { title: "Offer", type: "Offer" },
] as const;
const sources = ["Applied", "Referral", "LinkedIn", "Wellfound"] as const;

/** Ashby: applicationSubmit, stage changes (only the new stage), sometimes an update, then a hire (with the offer) or an archive (sometimes undone); sometimes deleted. */
export function buildAshbyHistories(run: BuilderRun): CandidateHistory[] {
  const { rng } = run;
  const planId = rng.uuid();
  const stageIds = stages.map(() => rng.uuid());
  const jobs = rng.sample(jobTitles, 3).map((title) => ({ id: rng.uuid(), title }));
  const ids = Array.from({ length: run.count }, () => ({ candidateId: rng.uuid(), tag: run.uniqueInt(rng, 1_000, 9_999_999) }));
  return ids.map(({ candidateId, tag }, index) => buildOne(run.candidateRng(index), run, { candidateId, tag, planId, stageIds, jobs }));
}

interface Plan {
  candidateId: string;
  tag: number;
  planId: string;
  stageIds: string[];
  jobs: { id: string; title: string }[];
}

function buildOne(rng: Rng, run: BuilderRun, plan: Plan): CandidateHistory {
  const person = randomPerson(rng, String(plan.tag));
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const application = fixtureJson<Json>("ashby", "fixtures/application-submit.json").data.application;
  Object.assign(application, { id: rng.uuid(), createdAt: clock.now.toISOString(), job: { ...application.job, ...rng.pick(plan.jobs) } });
  Object.assign(application.candidate, {
    id: plan.candidateId,
    name: person.fullName,
    primaryEmailAddress: { value: person.email, type: "Personal", isPrimary: true },
    primaryPhoneNumber: { value: person.phone, type: "Personal", isPrimary: true },
  });
  application.source.title = rng.pick(sources);
  const deliveries: SimulatedDelivery[] = [];
  const stageAt = (i: number, title: string = stages[i].title, type: string = stages[i].type) => ({
    id: plan.stageIds[i] ?? rng.uuid(),
    title,
    type,
    orderInInterviewPlan: i,
    interviewStageGroupId: null,
    interviewPlanId: plan.planId,
  });

  const push = (action: string, type: NormalizedEventType, stage: string | null, extra: Json = {}) => {
    const at = deliveries.length === 0 ? clock.now : clock.advance();
    application.updatedAt = at.toISOString();
    const body = { webhookActionId: rng.uuid(), action, data: { application: structuredClone(application), ...extra } };
    deliveries.push({
      body: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `ashby ${plan.candidateId.slice(0, 8)} #${deliveries.length + 1} ${action}${stage ? ` → ${stage}` : ""}`,
      expected: { providerEvent: action, type, stage },
    });
  };

  application.status = "Active";
  application.currentInterviewStage = stageAt(0);
  push("applicationSubmit", "applied", stages[0].title);
  const last = rng.int(2, stages.length - 1);
  for (let i = 1; i <= last; i++) {
    application.currentInterviewStage = stageAt(i);
    push("candidateStageChange", "stage_changed", stages[i].title);
    if (rng.chance(0.2)) {
      application.customFields = [{ id: "650e5f74-32db-4a0a-b61b-b9afece05024", title: "Years of experience", value: rng.int(0, 15) }];
      push("applicationUpdate", "updated", null);
    }
  }
  if (last === stages.length - 1 && rng.chance(0.6)) {
    application.status = "Hired";
    application.currentInterviewStage = stageAt(stages.length, "Hired", "Hired");
    const offer = { id: rng.uuid(), decidedAt: clock.now.toISOString(), applicationId: application.id, acceptanceStatus: "Accepted", offerStatus: "CandidateAccepted", latestVersion: { id: rng.uuid(), startDate: null, salary: { currencyCode: "USD", value: rng.int(60, 200) * 1000 }, createdAt: clock.now.toISOString() }, versions: [], formDefinition: { sections: [] } };
    push("candidateHire", "hired", "Hired", { offer });
  } else if (rng.chance(0.7)) {
    application.status = "Archived";
    application.archivedAt = clock.now.toISOString();
    application.archiveReason = { id: rng.uuid(), text: rng.pick(["Too inexperienced", "Withdrew", "Position filled"]), reasonType: "RejectedByOrg", isArchived: false, customFields: [] };
    application.currentInterviewStage = stageAt(stages.length + 1, "Archived", "Archived");
    push("candidateStageChange", "rejected", "Archived");
    if (rng.chance(0.3)) {
      // Un-archived: back in the stage it left, Active again (the job's status reopens).
      application.status = "Active";
      application.archivedAt = null;
      application.archiveReason = null;
      application.currentInterviewStage = stageAt(last);
      push("candidateStageChange", "stage_changed", stages[last].title);
    }
  }
  if (rng.chance(0.1)) {
    const at = clock.advance();
    const body = { webhookActionId: rng.uuid(), action: "candidateDelete", data: { candidate: { id: plan.candidateId } } };
    deliveries.push({
      body: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `ashby ${plan.candidateId.slice(0, 8)} #${deliveries.length + 1} candidateDelete`,
      expected: { providerEvent: "candidateDelete", type: "deleted", stage: null },
    });
  }
  return { provider: "ashby", candidateId: plan.candidateId, name: person.fullName, email: person.email, deliveries };
}

export const ashbySimulator: ProviderSimulator = {
  buildHistories: buildAshbyHistories,
  coverageSeed: 7,
  burstSeeds: [3, 7, 12],
  fixtureCandidateIdPath: ["data", "application", "candidate", "id"],
};
