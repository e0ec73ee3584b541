import type { CorpusCase } from "../../types";

const json = "application/json";
const form = "application/x-www-form-urlencoded";
const docs = "idibu docs, Candidate webhook (copy in fixtures/docs/candidate-webhook.md)";
/** The docs example's candidate, however it is encoded or wherever its event is named. */
const createdAsDocumented: CorpusCase["expect"] = {
  status: "processed",
  type: "created",
  candidate: "12345",
  occurredAt: "2024-10-17T14:53:12.000Z",
  job: { id: "98765", title: "Recruitment Consultant" },
  stage: "Applicants",
  drift: [],
};

/** Every idibu payload we know of, with what it must produce. Add a real one: see README, "Adding a real payload". */
export const idibuCorpus: CorpusCase[] = [
  {
    name: "docs: new candidate added to the vacancy",
    file: "fixtures/candidate-create.json",
    contentType: json,
    headers: { "user-agent": "Idibu-Hookshot", "x-idibu-delivery": "f38a0abc-dc1d-4e3c-bb63-dfc1acd9ce88", "x-idibu-event": "candidate-extend.update" },
    source: `${docs}, "New candidate added to the Vacancy" (body and headers)`,
    expect: createdAsDocumented,
  },
  {
    name: "candidate status on the vacancy changed",
    file: "fixtures/candidate-update.json",
    contentType: json,
    headers: { "x-idibu-delivery": "5b0d7e3a-8c41-4f7e-9a2d-1e6f3c9b7a40", "x-idibu-event": "candidate.update" },
    source: `the docs example as a candidate.update with the status Shortlisted, per the field list in ${docs}`,
    expect: {
      status: "processed",
      type: "updated",
      candidate: "12345",
      occurredAt: "2024-10-21T07:15:47.000Z",
      job: { id: "98765", title: "Recruitment Consultant" },
      stage: "Shortlisted",
      drift: [],
    },
  },
  {
    name: "form-encoded, bracket fields (PHP http_build_query)",
    file: "fixtures/candidate-create.form-brackets.txt",
    contentType: form,
    headers: { "x-idibu-delivery": "0c6f2b8e-3d5a-4b71-8e9f-7a2c4d6e8f10" },
    source: "the docs example encoded as PHP's http_build_query does (idibu's sender is PHP)",
    expect: createdAsDocumented,
  },
  {
    name: "form-encoded, JSON field values",
    file: "fixtures/candidate-create.form-json.txt",
    contentType: form,
    headers: { "x-idibu-delivery": "9e4a1c7b-2f6d-4a83-b5c0-3d8e1f2a6b97" },
    source: "the docs example with each top-level field JSON-encoded in a form field",
    expect: createdAsDocumented,
  },
  {
    name: "variation: no webhook_event in the body; X-Idibu-Event names it",
    file: "corpus/create-event-in-header.json",
    contentType: json,
    headers: { "x-idibu-delivery": "3c1f0e6a-2b4d-4e8f-9a7c-5d6e7f8a9b01", "x-idibu-event": "candidate.create" },
    source: "fixtures/candidate-create.json without payload-information.webhook_event",
    expect: createdAsDocumented,
  },
  {
    name: "variation: idibu v3 headers, no payload-information, a status without label",
    file: "corpus/update-v3-headers-status-without-label.json",
    contentType: json,
    headers: { "x-idibuv3-delivery": "v3-7d2e9c41-5a6b-4c3d-8e9f-0a1b2c3d4e5f", "x-idibuv3-event": "candidate.update" },
    source: "fixtures/candidate-update.json without payload-information and without status.label, sent with idibu v3's X-IdibuV3-Event / X-IdibuV3-Delivery",
    expect: {
      status: "processed",
      type: "updated",
      candidate: "12345",
      occurredAt: null,
      job: { id: "98765", title: "Recruitment Consultant" },
      stage: "14",
      drift: [],
    },
  },
  {
    name: "variation: timestamp without an offset, with a space and fractional seconds",
    file: "corpus/update-time-without-offset.json",
    contentType: json,
    headers: { "x-idibu-delivery": "2a9c7e15-6b3d-4f80-9e21-c4d5e6f7a8b9", "x-idibu-event": "candidate.update" },
    source: 'fixtures/candidate-update.json with "timestamp": "2024-10-21 07:15:47.250" (no offset, as a MySQL DATETIME prints)',
    expect: {
      status: "processed",
      type: "updated",
      candidate: "12345",
      occurredAt: "2024-10-21T07:15:47.250Z",
      job: { id: "98765", title: "Recruitment Consultant" },
      stage: "Shortlisted",
      drift: ["payload-information.timestamp: time without offset, read as UTC"],
    },
  },
  {
    name: "an event of another object (vacancy.update)",
    file: "corpus/vacancy-update-other-object.json",
    contentType: json,
    headers: { "x-idibu-delivery": "8f7e6d5c-4b3a-4921-8f0e-1d2c3b4a5968" },
    source: 'fixtures/candidate-create.json with "webhook_event": "vacancy.update"',
    expect: { status: "ignored", reason: 'not understood: idibu event "vacancy.update"' },
  },
];
