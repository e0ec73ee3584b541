import type { CorpusCase } from "../../types";

const json = "application/json";
const docs = "Outhire docs, Candidate webhooks (copy in fixtures/docs/candidate-webhooks.md)";
const job = { id: "456", title: "Account Executive" };

/** Every Outhire payload we know of, with what it must produce. Add a real one: see README, "Adding a real payload". */
export const outhireCorpus: CorpusCase[] = [
  {
    name: "docs: candidate.applied",
    file: "fixtures/candidate-applied.json",
    contentType: json,
    source: docs,
    expect: {
      status: "processed",
      type: "applied",
      candidate: "123",
      occurredAt: "2026-03-11T00:00:00.000Z",
      job,
      stage: null,
      drift: [],
    },
  },
  {
    name: "docs: candidate.stage_changed",
    file: "fixtures/candidate-stage-changed.json",
    contentType: json,
    source: docs,
    expect: {
      status: "processed",
      type: "stage_changed",
      candidate: "123",
      occurredAt: "2026-03-11T00:00:00.000Z",
      job,
      stage: "interview",
      drift: [],
    },
  },
  {
    name: "variation: fit_score as a string, occurred_at without an offset, resume_data []",
    file: "corpus/applied-fit-score-string-time-without-offset.json",
    contentType: json,
    source: 'fixtures/candidate-applied.json with "fit_score": "82", "occurred_at": "2026-03-11T00:00:00", "resume_data": []',
    expect: {
      status: "processed",
      type: "applied",
      candidate: "123",
      occurredAt: "2026-03-11T00:00:00.000Z",
      job,
      stage: null,
      drift: [
        "candidate.fit_score: documented number or null, received string",
        "candidate.resume_data: documented object or null, received array",
        "occurred_at: time without offset, read as UTC",
      ],
    },
  },
  {
    name: "variation: ids as strings, microseconds and a +02:00 offset",
    file: "corpus/stage-changed-ids-as-strings-offset.json",
    contentType: json,
    source: 'fixtures/candidate-stage-changed.json with candidate and job ids as strings and "occurred_at": "2026-03-11T02:00:00.123456+02:00"',
    expect: {
      status: "processed",
      type: "stage_changed",
      candidate: "123",
      occurredAt: "2026-03-11T00:00:00.123Z",
      job,
      stage: "interview",
      drift: [],
    },
  },
  {
    name: "an event this version does not map (candidate.hired)",
    file: "corpus/candidate-hired-unknown-event.json",
    contentType: json,
    source: 'fixtures/candidate-applied.json with "event": "candidate.hired" (a future event)',
    expect: { status: "ignored", reason: 'not understood: Outhire event "candidate.hired"' },
  },
];
