import type { CorpusCase } from "../../types";

const json = "application/json";
const docs = "Lever developer docs, Webhooks (copy in fixtures/docs/lever-webhooks.md)";
// Lever documents no example for these events: the envelope of the documented example with the data
// fields open-source receivers read (docs copy §4, §8: carlobortolan/embloy webhooks_controller.rb).
const constructed = (event: string, fields: string) =>
  `constructed, not observed: the documented envelope (fixtures/candidate-stage-change.json) with event "${event}" and ${fields}, as open-source receivers read them (fixtures/docs/lever-webhooks.md §4, §8)`;
const opportunity = "3410c8b9-5c31-4bab-b7e9-9f710206d647";
const stage = "7c2690d8-6308-4ed9-ae2a-cbfe7db26593";

/** Every Lever payload we know of, with what it must produce. Add a real one: see README, "Adding a real payload". */
export const leverCorpus: CorpusCase[] = [
  {
    name: "docs: test request (candidateHired with empty data)",
    file: "fixtures/test-request.json",
    contentType: json,
    source: `${docs}, §5.1 "Test request", byte for byte`,
    expect: { status: "ignored", reason: "Lever test request: data is empty, no opportunity to record" },
  },
  {
    name: "docs: example delivery (candidateStageChange), typos fixed",
    file: "fixtures/candidate-stage-change.json",
    contentType: json,
    source: `${docs}, §5.2 "Example delivery", with the missing comma after toStageId added and the trailing comma after fromStageId removed`,
    expect: { status: "processed", type: "stage_changed", candidate: opportunity, occurredAt: "2015-05-12T18:12:10.072Z", job: null, stage, drift: [] },
  },
  {
    name: "variation: applicationCreated",
    file: "corpus/application-created.json",
    contentType: json,
    source: constructed("applicationCreated", "opportunityId, applicationId, contactId"),
    expect: { status: "processed", type: "applied", candidate: opportunity, occurredAt: "2015-05-12T17:00:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: candidateArchiveChange to archived is a rejection",
    file: "corpus/candidate-archive-change-archived.json",
    contentType: json,
    source: constructed("candidateArchiveChange", "toArchived {archivedAt, reason}"),
    expect: { status: "processed", type: "rejected", candidate: opportunity, occurredAt: "2015-05-12T19:46:40.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: candidateArchiveChange to unarchived (toArchived null) is an unrejection",
    file: "corpus/candidate-archive-change-unarchived.json",
    contentType: json,
    source: constructed("candidateArchiveChange", "fromArchived {archivedAt, reason}, toArchived null"),
    expect: { status: "processed", type: "unrejected", candidate: opportunity, occurredAt: "2015-05-12T22:33:20.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: candidateHired",
    file: "corpus/candidate-hired.json",
    contentType: json,
    source: constructed("candidateHired", "opportunityId, contactId"),
    expect: { status: "processed", type: "hired", candidate: opportunity, occurredAt: "2015-05-13T01:20:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: candidateDeleted",
    file: "corpus/candidate-deleted.json",
    contentType: json,
    source: constructed("candidateDeleted", "opportunityId, contactId, deletedBy"),
    expect: { status: "processed", type: "deleted", candidate: opportunity, occurredAt: "2015-05-13T04:06:40.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: interviewCreated is not candidate history",
    file: "corpus/interview-created.json",
    contentType: json,
    source: constructed("interviewCreated", "opportunityId, interviewId"),
    expect: { status: "ignored", reason: 'Lever event "interviewCreated" is not candidate history (interviews and contacts are not tracked)' },
  },
  {
    name: "variation: envelope id and contactId as numbers",
    file: "corpus/stage-change-ids-as-numbers.json",
    contentType: json,
    source: 'fixtures/candidate-stage-change.json with "id": 42 (the docs table lists an envelope id no example shows) and "contactId": 678',
    expect: {
      status: "processed",
      type: "stage_changed",
      candidate: opportunity,
      occurredAt: "2015-05-12T18:12:10.072Z",
      job: null,
      stage,
      drift: ["data.contactId: documented string or null, received number", "id: documented string or null, received number"],
    },
  },
  {
    name: "variation: legacy candidateId without opportunityId",
    file: "corpus/stage-change-legacy-candidate-id.json",
    contentType: json,
    source: "fixtures/candidate-stage-change.json without opportunityId, the opportunity id in candidateId (the docs: the legacy candidateId is the opportunityId, §6)",
    expect: { status: "processed", type: "stage_changed", candidate: opportunity, occurredAt: "2015-05-12T18:12:10.072Z", job: null, stage, drift: [] },
  },
];
