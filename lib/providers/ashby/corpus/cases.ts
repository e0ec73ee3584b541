import type { CorpusCase } from "../../types";

const json = "application/json";
const docs = "Ashby developer docs (copy in fixtures/docs/ashby-webhooks.md)";
// Ashby publishes no full example body: these follow the Application schema with its example values.
const fromSchema = (what: string) => `constructed, not observed: ${what}, shaped by the Application/Offer schema and its example values (fixtures/docs/ashby-webhooks.md §5–§7)`;
const job = { id: "4071538b-3cac-4fbf-ac76-f78ed250ffdd", title: "First Designer" };
const candidate = "5b7f7e13-4c4b-4a5e-9a8f-3f0e5d3c2b1a";

/** Every Ashby payload we know of, with what it must produce. Add a real one: see README, "Adding a real payload". */
export const ashbyCorpus: CorpusCase[] = [
  {
    name: "docs: ping",
    file: "fixtures/ping.json",
    contentType: json,
    source: `${docs}, §1.4 and §5.7: the ping schema (action "ping", data.webhookActionType "ping") in the envelope of §3`,
    expect: { status: "ignored", reason: "Ashby ping: the webhook URL is live" },
  },
  {
    name: "schema: applicationSubmit",
    file: "fixtures/application-submit.json",
    contentType: json,
    source: fromSchema("applicationSubmit in the first stage (Application Review)"),
    expect: { status: "processed", type: "applied", candidate, occurredAt: "2022-08-12T20:29:56.964Z", job, stage: "Application Review", drift: [] },
  },
  {
    name: "open source: candidateStageChange (no job, as the receiver trimmed it)",
    file: "fixtures/candidate-stage-change.json",
    contentType: json,
    source: "a sanitised candidateStageChange test fixture of an open-source receiver (GitHub code index file 13749538276, fixtures/docs/ashby-webhooks.md §9), the Python literal written as JSON",
    expect: { status: "processed", type: "stage_changed", candidate: "cand-1111-2222-3333-4444", occurredAt: "2025-08-20T14:07:57.779Z", job: null, stage: "Pre-Screen", drift: [] },
  },
  {
    name: "schema: applicationUpdate (source changed)",
    file: "corpus/application-update.json",
    contentType: json,
    source: fromSchema("fixtures/application-submit.json as applicationUpdate, source title Referral, a later updatedAt"),
    expect: { status: "processed", type: "updated", candidate, occurredAt: "2022-08-13T09:00:00.000Z", job, stage: null, drift: [] },
  },
  {
    name: "schema: candidateStageChange into an Archived stage is a rejection",
    file: "corpus/candidate-stage-change-archived.json",
    contentType: json,
    source: fromSchema("status Archived, archiveReason and an Archived-type stage (§8: archiving is a move into an Archived stage)"),
    expect: { status: "processed", type: "rejected", candidate, occurredAt: "2022-08-15T10:00:00.000Z", job, stage: "Archived", drift: [] },
  },
  {
    name: "variation: candidateStageChange out of the Archived stage (un-archived: status Active again)",
    file: "corpus/candidate-stage-change-unarchived.json",
    contentType: json,
    source: "corpus/candidate-stage-change-archived.json a day later, moved back to Application Review: status Active, archiveReason and archivedAt null (another webhookActionId)",
    expect: { status: "processed", type: "stage_changed", candidate, occurredAt: "2022-08-16T09:30:00.000Z", job, stage: "Application Review", drift: [] },
  },
  {
    name: "schema: candidateHire with the accepted offer",
    file: "corpus/candidate-hire.json",
    contentType: json,
    source: fromSchema("candidateHire with status Hired, a Hired stage and the Offer object"),
    expect: { status: "processed", type: "hired", candidate, occurredAt: "2022-09-01T12:00:00.000Z", job, stage: "Hired", drift: [] },
  },
  {
    name: "schema: candidateDelete (no time: the received time stands in)",
    file: "corpus/candidate-delete.json",
    contentType: json,
    source: `${docs}, §5.5 (data.candidate.id), with the candidate's name and email as a stated variation: the merge's description promises candidate data its schema does not list`,
    expect: { status: "processed", type: "deleted", candidate, occurredAt: null, job: null, stage: null, drift: [] },
  },
  {
    name: "schema: candidateMerge names the survivor",
    file: "corpus/candidate-merge.json",
    contentType: json,
    source: `${docs}, §5.6: data.deletedCandidate.id and data.mergedCandidate.id, the survivor with a name and email ("merged candidate data", as its description says)`,
    expect: { status: "processed", type: "merged", candidate, occurredAt: null, job: null, stage: null, drift: [] },
  },
  {
    name: "schema: offerCreate is not candidate history",
    file: "corpus/offer-create.json",
    contentType: json,
    source: fromSchema("offerCreate with the Offer object of candidate-hire.json"),
    expect: { status: "ignored", reason: 'Ashby action "offerCreate" is not candidate history (offers, interviews, job postings and surveys are not tracked)' },
  },
  {
    name: "variation: an action Ashby may add",
    file: "corpus/unknown-action.json",
    contentType: json,
    source: "the envelope of §3 with an undocumented action",
    expect: {
      status: "ignored",
      reason: 'not understood: Ashby action "candidateTeleport" is not turned into history; the candidate actions are applicationSubmit, applicationUpdate, candidateStageChange, candidateHire, candidateDelete, candidateMerge',
    },
  },
  {
    name: "variation: orderInInterviewPlan as a string, customFields {}, updatedAt without an offset",
    file: "corpus/stage-change-types-vary.json",
    contentType: json,
    source: 'fixtures/candidate-stage-change.json (another webhookActionId) with "orderInInterviewPlan": "4", "customFields": {} and "updatedAt": "2025-08-20T14:07:57.779"',
    expect: {
      status: "processed",
      type: "stage_changed",
      candidate: "cand-1111-2222-3333-4444",
      occurredAt: "2025-08-20T14:07:57.779Z",
      job: null,
      stage: "Pre-Screen",
      drift: [
        "data.application.currentInterviewStage.orderInInterviewPlan: documented number or null, received string",
        "data.application.customFields: documented array or null, received object",
        "data.application.updatedAt: time without offset, read as UTC",
      ],
    },
  },
];
