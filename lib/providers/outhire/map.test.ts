import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { outhireProvider } from "./provider";

const fixturesDir = path.join(__dirname, "fixtures");
const seedDoc = path.join(__dirname, "fixtures/docs/candidate-webhooks.md");

function fixtureText(file: string): string {
  return readFileSync(path.join(fixturesDir, file), "utf8");
}

function fixtureBody(file: string): Record<string, any> {
  return JSON.parse(fixtureText(file));
}

const delivery: IncomingDelivery = {
  method: "POST",
  headers: { "content-type": "application/json" },
  query: new URLSearchParams(),
  body: Buffer.alloc(0),
  contentType: "application/json",
  receivedAt: new Date("2026-03-11T00:00:05Z"),
};

function map(body: unknown): MapResult {
  return outhireProvider.map(body, delivery);
}

function onlyEvent(result: MapResult): NormalizedEvent {
  expect(result.status).toBe("processed");
  if (result.status !== "processed") throw new Error("not processed");
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

function failure(result: MapResult): string {
  expect(result.status).toBe("failed");
  return result.status === "failed" ? result.error : "";
}

describe("Outhire fixtures", () => {
  it("lists every fixture file, each a payload copied byte-exact from the Outhire doc", () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(["candidate-applied.json", "candidate-stage-changed.json"]);
    expect(outhireProvider.fixtures.map((fixture) => fixture.file).sort()).toEqual(files.map((file) => `fixtures/${file}`));
    const doc = readFileSync(seedDoc, "utf8");
    for (const file of files) expect(doc).toContain(`\nPayload\n\n${fixtureText(file)}\nFields\n`);
  });
});

describe("mapping the Outhire doc examples", () => {
  it("candidate.applied → applied, with job, company and the event time", () => {
    const body = fixtureBody("candidate-applied.json");
    const result = map(body);
    expect(result).toMatchObject({ status: "processed", providerEvent: "candidate.applied", drift: [] });
    expect(onlyEvent(result)).toEqual({
      type: "applied",
      providerEvent: "candidate.applied",
      typeInferred: false,
      occurredAt: new Date("2026-03-11T00:00:00.000Z"),
      candidate: { externalId: "123", name: "Jane Doe", email: "jane@example.com" },
      job: { id: "456", title: "Account Executive" },
      applicationId: null,
      stage: null,
      actor: null,
      details: { companyId: "789" },
      snapshot: body.candidate,
    });
  });

  it("candidate.stage_changed → stage_changed from previous_stage to new_stage, by changed_by", () => {
    const body = fixtureBody("candidate-stage-changed.json");
    const result = map(body);
    expect(result).toMatchObject({ status: "processed", providerEvent: "candidate.stage_changed", drift: [] });
    expect(onlyEvent(result)).toEqual({
      type: "stage_changed",
      providerEvent: "candidate.stage_changed",
      typeInferred: false,
      occurredAt: new Date("2026-03-11T00:00:00.000Z"),
      candidate: { externalId: "123", name: "Jane Doe", email: "jane@example.com" },
      job: { id: "456", title: "Account Executive" },
      applicationId: null,
      stage: { from: "applied", to: "interview" },
      actor: "user",
      // The doc's example carries the placeholder text "uuid-or-null" as the user id.
      details: { companyId: "789", changedByUserId: "uuid-or-null" },
      snapshot: body.candidate,
    });
  });

  it("leaves changedByUserId out when Joel or the API made the change", () => {
    const body = fixtureBody("candidate-stage-changed.json");
    body.stage_change.changed_by = "joel";
    body.stage_change.changed_by_user_id = null;
    const event = onlyEvent(map(body));
    expect(event.actor).toBe("joel");
    expect(event.details).toEqual({ companyId: "789" });
  });

  it("accepts a candidate id sent as a string", () => {
    const body = fixtureBody("candidate-applied.json");
    body.candidate.id = "cand_abc123";
    expect(onlyEvent(map(body)).candidate.externalId).toBe("cand_abc123");
  });

  it("has no details and no job when company and job are absent", () => {
    const body = fixtureBody("candidate-applied.json");
    delete body.company;
    delete body.job;
    const event = onlyEvent(map(body));
    expect(event.details).toBeNull();
    expect(event.job).toBeNull();
  });

  it("falls back to the received time when occurred_at is absent", () => {
    const body = fixtureBody("candidate-applied.json");
    delete body.occurred_at;
    expect(onlyEvent(map(body)).occurredAt).toBeNull();
  });
});

describe("Outhire bodies that cannot be mapped", () => {
  it("stores an event this version does not know as ignored (not understood), naming the known ones", () => {
    const body = fixtureBody("candidate-applied.json");
    body.event = "candidate.hired";
    expect(map(body)).toEqual({
      status: "ignored",
      providerEvent: "candidate.hired",
      reason: 'not understood: Outhire event "candidate.hired" is not turned into history; the candidate events are candidate.applied, candidate.stage_changed',
      drift: [],
    });
  });

  it("fails a body without an event name", () => {
    const body = fixtureBody("candidate-applied.json");
    delete body.event;
    expect(failure(map(body))).toContain('"event"');
    expect(failure(map("not an object"))).toContain('"event"');
  });

  it("names candidate.id when the candidate has no id", () => {
    const body = fixtureBody("candidate-stage-changed.json");
    delete body.candidate.id;
    expect(failure(map(body))).toBe("candidate.id: candidate id is missing");
  });

  it("names candidate when there is no candidate at all", () => {
    const body = fixtureBody("candidate-applied.json");
    delete body.candidate;
    expect(failure(map(body))).toMatch(/^candidate: /);
  });

  it.each(["yesterday", "2026-13-45T00:00:00Z", "1773187200", "2026-03-11"])("fails occurred_at %j", (value) => {
    const body = fixtureBody("candidate-applied.json");
    body.occurred_at = value;
    const error = failure(map(body));
    expect(error).toContain("is not an ISO 8601 time");
    expect(error).toContain(value);
  });

  it("reads occurred_at without an offset as UTC, with a drift note, like the other providers", () => {
    const body = fixtureBody("candidate-applied.json");
    body.occurred_at = "2026-03-11T09:30:00.123";
    const result = map(body);
    expect(result.drift).toEqual(["occurred_at: time without offset, read as UTC"]);
    expect(onlyEvent(result).occurredAt).toEqual(new Date("2026-03-11T09:30:00.123Z"));
  });

  it("accepts fit_score as a string, keeps it as received in the snapshot and notes the type", () => {
    const body = fixtureBody("candidate-applied.json");
    body.candidate.fit_score = "85";
    const result = map(body);
    expect(result.drift).toEqual(["candidate.fit_score: documented number or null, received string"]);
    expect((onlyEvent(result).snapshot as { fit_score: unknown }).fit_score).toBe("85");
  });

  it("fails a stage change without stage_change", () => {
    const body = fixtureBody("candidate-stage-changed.json");
    delete body.stage_change;
    expect(failure(map(body))).toContain("stage_change is missing");
  });
});

describe("Outhire schema drift", () => {
  it("reports undocumented keys at their path", () => {
    const body = fixtureBody("candidate-stage-changed.json");
    body.candidate.linkedin_url = "https://linkedin.example/jane";
    body.stage_change.reason = "moved by rule";
    body.webhook_version = 2;
    const result = map(body);
    expect(result.status).toBe("processed");
    expect(result.drift).toEqual(["candidate.linkedin_url", "stage_change.reason", "webhook_version"]);
  });

  it("does not count parsed resume fields as drift", () => {
    const body = fixtureBody("candidate-applied.json");
    body.candidate.resume_data = { skills: ["sales"], years: 4 };
    expect(map(body).drift).toEqual([]);
  });
});
