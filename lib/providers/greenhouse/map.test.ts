import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { greenhouseProvider } from "./provider";

const fixturesDir = path.join(__dirname, "fixtures");
const seedDoc = path.join(__dirname, "fixtures/docs/candidate-events.md");

function fixtureText(file: string): string {
  return readFileSync(path.join(fixturesDir, file), "utf8");
}

/** Same repair the ingest applies: the documented hire example has a bare `00000`, which JSON forbids. */
function decodeGreenhouse(text: string): unknown {
  return JSON.parse(text.replace(/(:\s*)00000(?=\s*[,}\]])/g, '$1"00000"'));
}

function fixtureBody(file: string): Record<string, any> {
  return decodeGreenhouse(fixtureText(file)) as Record<string, any>;
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
  return greenhouseProvider.map(body, delivery);
}

function onlyEvent(result: MapResult): NormalizedEvent {
  expect(result.status).toBe("processed");
  if (result.status !== "processed") throw new Error("not processed");
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

type Expected = Pick<NormalizedEvent, "type" | "candidate" | "job" | "applicationId" | "stage"> & {
  details: Record<string, unknown> | null;
};

const expectedByFixture: Record<string, Expected> = {
  "new-prospect-application.json": {
    type: "prospect_created",
    candidate: { externalId: "968190", name: "Trisha Troy", email: "t.troy@example.com" },
    job: { id: "371417", title: "Designer" },
    applicationId: "979554",
    stage: null,
    details: {},
  },
  "candidate-stage-change.json": {
    type: "stage_changed",
    candidate: { externalId: "265772", name: "Giuseppe Hurley", email: "giuseppe.hurley@example.com" },
    job: { id: "3485", title: "Designer" },
    applicationId: "265277",
    stage: { from: null, to: "Assessment" },
    details: {},
  },
  "update-candidate.json": {
    type: "updated",
    candidate: { externalId: "15696179", name: "Ronald Ronnie", email: "123456email@email.com" },
    job: null,
    applicationId: null,
    stage: null,
    details: null,
  },
  "hire-candidate.json": {
    type: "hired",
    candidate: { externalId: "35897443", name: "Johnny Smith", email: "personal@example.com" },
    job: { id: "323753", title: "Developer" },
    applicationId: "46194062",
    stage: null,
    details: { status: null },
  },
  "unhire-candidate.json": {
    type: "unhired",
    candidate: { externalId: "265788", name: "Hector Porter", email: "hector.porter.265788@example.com" },
    job: { id: "371417", title: "Designer" },
    applicationId: "265293",
    stage: { from: null, to: "Application Review" },
    details: { status: "active" },
  },
  "reject-candidate.json": {
    type: "rejected",
    candidate: { externalId: "265788", name: "Hector Porter", email: "hector.porter.265788@example.com" },
    job: { id: "371417", title: "Designer" },
    applicationId: "265293",
    stage: { from: null, to: "Offer" },
    details: { status: "rejected", rejectionReason: "Too Junior" },
  },
  "unreject-candidate.json": {
    type: "unrejected",
    candidate: { externalId: "265788", name: "Hector Porter", email: "hector.porter.265788@example.com" },
    job: { id: "371417", title: "Designer" },
    applicationId: "265293",
    stage: { from: null, to: "Offer" },
    details: { status: "active" },
  },
  "delete-candidate.json": {
    type: "deleted",
    candidate: { externalId: "37031511", name: "Jack Sparrow", email: null },
    job: null,
    applicationId: null,
    stage: null,
    details: { deletedApplicationIds: ["46196263", "46196258"] },
  },
  "merge-candidate.json": {
    type: "merged",
    candidate: { externalId: "37031511", name: "Jack Sparrow", email: null },
    job: null,
    applicationId: null,
    stage: null,
    details: { newCandidateId: "457456" },
  },
};

describe("Greenhouse fixtures", () => {
  it("lists every fixture file, each a JSON code block copied byte-exact from the Greenhouse doc", () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith(".json")).sort();
    expect(greenhouseProvider.fixtures.map((fixture) => fixture.file.replace("fixtures/", "")).sort()).toEqual(files);
    expect(Object.keys(expectedByFixture).sort()).toEqual(files);
    const doc = readFileSync(seedDoc, "utf8");
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toHaveLength(files.length);
    for (const file of files) expect(blocks).toContain(fixtureText(file));
  });

  it("documents the hire example's invalid `00000` token: plain JSON.parse rejects it, the ingest repair reads it as a string", () => {
    const text = fixtureText("hire-candidate.json");
    expect(text).toContain('"external_id": 00000,');
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const body = fixtureBody("hire-candidate.json");
    expect(body.payload.application.candidate.external_id).toBe("00000");
    const event = onlyEvent(map(body));
    expect(event.candidate).toEqual({ externalId: "35897443", name: "Johnny Smith", email: "personal@example.com" });
    expect((event.snapshot as { external_id: unknown }).external_id).toBe("00000");
  });
});

describe("mapping every Greenhouse doc example", () => {
  it("takes the occurred time of an application event from application.last_activity_at", () => {
    expect(onlyEvent(map(fixtureBody("candidate-stage-change.json"))).occurredAt?.toISOString()).toBe("2015-02-09T16:38:36.000Z");
    expect(onlyEvent(map(fixtureBody("update-candidate.json"))).occurredAt).toBeNull();
  });

  for (const [file, expected] of Object.entries(expectedByFixture)) {
    it(`${file} → ${expected.type}`, () => {
      const body = fixtureBody(file);
      const result = map(body);
      expect(result).toMatchObject({ status: "processed", providerEvent: body.action, drift: [] });
      const event = onlyEvent(result);
      expect(event.type).toBe(expected.type);
      expect(event.providerEvent).toBe(body.action);
      expect(event.typeInferred).toBe(false);
      // The application's last_activity_at where the body has one; candidate-only bodies have no time.
      const lastActivity = body.payload.application?.last_activity_at ?? null;
      expect(event.occurredAt?.toISOString() ?? null).toBe(lastActivity === null ? null : new Date(lastActivity).toISOString());
      expect(event.actor).toBeNull();
      expect(event.candidate).toEqual(expected.candidate);
      expect(event.job).toEqual(expected.job);
      expect(event.applicationId).toBe(expected.applicationId);
      expect(event.stage).toEqual(expected.stage);

      const application = body.payload.application;
      if (application) {
        const { candidate, ...withoutCandidate } = application;
        expect(event.snapshot).toEqual(candidate);
        expect(event.details).toEqual({ ...expected.details, application: withoutCandidate });
      } else {
        expect(event.snapshot).toEqual(body.payload.candidate ?? body.payload.person);
        expect(event.details).toEqual(expected.details);
      }
    });
  }
});

describe("Greenhouse candidate details", () => {
  it("accepts ids sent as strings and maps them to the same strings", () => {
    const body = fixtureBody("candidate-stage-change.json");
    body.payload.application.id = "265277";
    body.payload.application.candidate.id = "265772";
    body.payload.application.jobs[0].id = "3485";
    const event = onlyEvent(map(body));
    expect(event.candidate.externalId).toBe("265772");
    expect(event.applicationId).toBe("265277");
    expect(event.job).toEqual({ id: "3485", title: "Designer" });
  });

  it("prefers the personal email address, then the first one, and has none when the list is empty", () => {
    const body = fixtureBody("update-candidate.json");
    body.payload.candidate.email_addresses = [
      { value: "work@example.com", type: "work" },
      { value: "home@example.com", type: "personal" },
    ];
    expect(onlyEvent(map(body)).candidate.email).toBe("home@example.com");
    body.payload.candidate.email_addresses = [
      { value: "first@example.com", type: "work" },
      { value: "second@example.com", type: "other" },
    ];
    expect(onlyEvent(map(body)).candidate.email).toBe("first@example.com");
    body.payload.candidate.email_addresses = [];
    expect(onlyEvent(map(body)).candidate.email).toBeNull();
  });

  it("uses the deprecated application.job when jobs[] is absent", () => {
    const body = fixtureBody("hire-candidate.json");
    delete body.payload.application.jobs;
    body.payload.application.job.name = "Deprecated Developer";
    expect(onlyEvent(map(body)).job).toEqual({ id: "323753", title: "Deprecated Developer" });
  });

  it("reads deleted application ids under the attribute table's name `application_ids` too", () => {
    const body = fixtureBody("delete-candidate.json");
    delete body.payload.person.deleted_application_ids;
    body.payload.person.application_ids = [1, "2"];
    expect(onlyEvent(map(body)).details).toEqual({ deletedApplicationIds: ["1", "2"] });
  });

  it("keeps deleted application ids on a merge when Greenhouse sends them", () => {
    const body = fixtureBody("merge-candidate.json");
    body.payload.person.deleted_application_ids = [46196263];
    expect(onlyEvent(map(body)).details).toEqual({ newCandidateId: "457456", deletedApplicationIds: ["46196263"] });
  });
});

describe("Greenhouse actions that are not recorded or not known", () => {
  it.each([
    ["ping", { action: "ping", payload: { web_hook_id: 1 } }],
    ["offer_approved", { action: "offer_approved", payload: { id: 1, application_id: 2 } }],
    ["offer_created", { action: "offer_created", payload: { id: 1 } }],
    ["job_post_created", { action: "job_post_created", payload: { job_post: { id: 1 } } }],
  ])("ignores %s with a reason", (action, body) => {
    const result = map(body);
    expect(result.status).toBe("ignored");
    if (result.status !== "ignored") return;
    expect(result.providerEvent).toBe(action);
    expect(result.reason.length).toBeGreaterThan(10);
    expect(result.drift).toEqual([]);
  });

  it("stores an action this version does not know as ignored, saying it was not understood", () => {
    const result = map({ action: "candidate_teleported", payload: {} });
    expect(result).toMatchObject({ status: "ignored", providerEvent: "candidate_teleported" });
    if (result.status !== "ignored") return;
    expect(result.reason).toMatch(/^not understood: Greenhouse action "candidate_teleported" is not turned into history/);
  });

  it("turns candidate_anonymized into a request to anonymize the stored candidate (no events of its own)", () => {
    const result = map({ action: "candidate_anonymized", payload: { candidate_id: 37031511, anonymized_fields: ["full_name", "email_addresses"] } });
    expect(result).toMatchObject({
      status: "ignored",
      providerEvent: "candidate_anonymized",
      anonymize: { externalId: "37031511", fields: ["full_name", "email_addresses"] },
    });
    expect(map({ action: "candidate_anonymized", payload: { anonymized_fields: [] } })).toMatchObject({ status: "failed" });
  });

  it.each([
    ["a string", "hello"],
    ["null", null],
    ["an object without action", { payload: {} }],
  ])("fails a body that is %s", (_label, body) => {
    const result = map(body);
    expect(result).toMatchObject({ status: "failed", providerEvent: null });
    if (result.status === "failed") expect(result.error).toContain('"action"');
  });
});

describe("Greenhouse payloads without a usable candidate", () => {
  it("names payload.application.candidate.id when the application's candidate has no id", () => {
    const body = fixtureBody("candidate-stage-change.json");
    delete body.payload.application.candidate.id;
    const result = map(body);
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toBe("payload.application.candidate.id: candidate id is missing");
  });

  it("names payload.person.id when a deleted person has no id", () => {
    const body = fixtureBody("delete-candidate.json");
    body.payload.person.id = null;
    const result = map(body);
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toBe("payload.person.id: candidate id is missing");
  });

  it("names payload.application.candidate when the application carries no candidate", () => {
    const body = fixtureBody("reject-candidate.json");
    delete body.payload.application.candidate;
    const result = map(body);
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toContain("payload.application.candidate is missing");
  });

  it("lists the three places a candidate can be when the payload has none", () => {
    const result = map({ action: "update_candidate", payload: {} });
    expect(result.status).toBe("failed");
    if (result.status === "failed") {
      expect(result.error).toContain("payload.application.candidate, payload.candidate or payload.person");
    }
  });
});

describe("Greenhouse schema drift", () => {
  it("reports keys the doc does not describe, at their path", () => {
    const body = fixtureBody("candidate-stage-change.json");
    body.payload.application.candidate.pronouns = "they/them";
    body.payload.application.jobs[0].remote = true;
    body.sent_at = "2026-03-11T00:00:00Z";
    const result = map(body);
    expect(result.status).toBe("processed");
    expect(result.drift).toEqual(["payload.application.candidate.pronouns", "payload.application.jobs[].remote", "sent_at"]);
  });

  it("does not count customer-defined custom field keys as drift", () => {
    const body = fixtureBody("update-candidate.json");
    body.payload.candidate.custom_fields.shoe_size = { name: "Shoe size", type: "short_text", value: "44" };
    expect(map(body).drift).toEqual([]);
  });
});
