import type { CorpusCase } from "../../types";

const json = "application/json";
const createdDoc = "Talview docs, Candidate Created webhook (copy in fixtures/docs/candidate-created.md)";
const conceptsDoc = "Talview docs, Webhook Concepts (copy in fixtures/docs/webhook-concepts.md)";
const created = { event: "can.candidate.created" };
const updated = { event: "can.candidate.updated" };

/** Every Talview payload we know of, with what it must produce. Add a real one: see README, "Adding a real payload". */
export const talviewCorpus: CorpusCase[] = [
  {
    name: "docs: candidate created",
    file: "fixtures/candidate-created.json",
    contentType: json,
    query: created,
    source: `${createdDoc}, "Payload Type Showcase"`,
    expect: { status: "processed", type: "created", candidate: "101", occurredAt: "2023-11-01T10:00:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "candidate updated: education entry added",
    file: "fixtures/candidate-updated.json",
    contentType: json,
    query: updated,
    source: `the docs example with an education entry added, in the shape of ${createdDoc}`,
    expect: { status: "processed", type: "updated", candidate: "101", occurredAt: "2023-11-05T14:30:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "candidate deleted (the last update's body)",
    file: "fixtures/candidate-deleted.json",
    contentType: json,
    query: { event: "can.candidate.deleted" },
    source: `${conceptsDoc}: a deletion carries the last stored snapshot`,
    expect: { status: "processed", type: "deleted", candidate: "101", occurredAt: null, job: null, stage: null, drift: [] },
  },
  {
    name: "versioned snapshot {old, new}",
    file: "fixtures/candidate-versioned-snapshot.json",
    contentType: json,
    query: updated,
    source: `${conceptsDoc}, "Versioned snapshots"`,
    expect: { status: "processed", type: "updated", candidate: "101", occurredAt: "2023-11-05T14:30:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "variation: numbers as strings, strings as numbers, [] for a JSONB object",
    file: "corpus/created-numbers-as-strings.json",
    contentType: json,
    query: created,
    source:
      'fixtures/candidate-created.json with "total_years_experience": "5", "expected_salary": 120000, "avg_tenure_months": "18.5", "user_id": "123", "is_active": "true", "cf": []',
    expect: {
      status: "processed",
      type: "created",
      candidate: "101",
      occurredAt: "2023-11-01T10:00:00.000Z",
      job: null,
      stage: null,
      drift: [
        "avg_tenure_months: documented number or null, received string",
        "cf: documented object or null, received array",
        "expected_salary: documented string or null, received number",
        "is_active: documented boolean or null, received string",
        "total_years_experience: documented number or null, received string",
      ],
    },
  },
  {
    name: "variation: id as a string, updated_at without an offset",
    file: "corpus/updated-id-string-time-without-offset.json",
    contentType: json,
    query: updated,
    source: 'fixtures/candidate-updated.json with "id": "101" and "updated_at": "2023-11-05T14:30:00"',
    expect: {
      status: "processed",
      type: "updated",
      candidate: "101",
      occurredAt: "2023-11-05T14:30:00.000Z",
      job: null,
      stage: null,
      drift: ["updated_at: time without offset, read as UTC"],
    },
  },
  {
    name: "versioned snapshot on a URL without ?event= (the event is inferred: an update)",
    file: "fixtures/candidate-versioned-snapshot.json",
    contentType: json,
    source: `${conceptsDoc}, "Versioned snapshots", sent to the bare endpoint URL`,
    expect: { status: "processed", type: "updated", candidate: "101", occurredAt: "2023-11-05T14:30:00.000Z", job: null, stage: null, drift: [] },
  },
  {
    name: "an event of another object (a job subscription pointed at this URL)",
    file: "fixtures/candidate-created.json",
    contentType: json,
    query: { event: "can.job.created" },
    source: `${conceptsDoc}: event names are <module>.<object>.<action>; can.job.* is another object`,
    expect: { status: "ignored", reason: "not understood" },
  },
];
