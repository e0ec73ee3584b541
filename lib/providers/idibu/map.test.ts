import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { mapIdibu } from "./map";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name));
const json = (name: string) => JSON.parse(fixture(name).toString("utf8")) as Record<string, any>;

function delivery(headers: Record<string, string> = {}): IncomingDelivery {
  return {
    method: "POST",
    headers,
    query: new URLSearchParams(),
    body: Buffer.from("{}"),
    contentType: "application/json",
    receivedAt: new Date("2024-01-01T00:00:00Z"),
  };
}

function processed(result: MapResult): { providerEvent: string; event: NormalizedEvent; drift: string[] } {
  if (result.status !== "processed") throw new Error(`expected processed, got ${JSON.stringify(result)}`);
  expect(result.events).toHaveLength(1);
  return { providerEvent: result.providerEvent, event: result.events[0], drift: result.drift };
}

function failed(result: MapResult): string {
  if (result.status !== "failed") throw new Error(`expected failed, got ${JSON.stringify(result)}`);
  return result.error;
}

const jess = { externalId: "12345", name: "Jess Quincy", email: "jessquincy@fakeemail.com" };
const docHeaders = {
  "user-agent": "Idibu-Hookshot",
  "x-idibu-delivery": "f38a0abc-dc1d-4e3c-bb63-dfc1acd9ce88",
  "x-idibu-event": "candidate-extend.update",
  "content-type": "application/json",
};

describe("idibu doc example (New candidate added to the Vacancy)", () => {
  it("maps to one created event, trusting the body's webhook_event over the header", () => {
    const body = json("candidate-create.json");
    const { providerEvent, event, drift } = processed(mapIdibu(body, delivery(docHeaders)));
    expect(providerEvent).toBe("candidate.create");
    expect(drift).toEqual([]);
    expect(event).toEqual({
      type: "created",
      providerEvent: "candidate.create",
      typeInferred: false,
      occurredAt: new Date("2024-10-17T14:53:12Z"),
      candidate: jess,
      job: { id: "98765", title: "Recruitment Consultant" },
      applicationId: null,
      stage: { from: null, to: "Applicants" },
      stages: [{ jobId: "98765", jobTitle: "Recruitment Consultant", stage: "Applicants" }],
      actor: null,
      details: {
        source: "Aptrack Test Feed",
        commsStatus: "applied",
        vacancies: [
          {
            id: "98765",
            reference: "TP-1234",
            title: "Recruitment Consultant",
            status: { id: "11", type: "default", label: "Applicants" },
          },
        ],
        headerEvent: "candidate-extend.update",
      },
      snapshot: body.payload,
    });
    expect(event.snapshot).toBe(body.payload);
  });

  it("omits headerEvent when the header is absent", () => {
    const { event } = processed(mapIdibu(json("candidate-create.json"), delivery()));
    expect(event.details).not.toHaveProperty("headerEvent");
  });
});

describe("hand-made update fixture", () => {
  it("maps to updated with the new status label as the stage and the later timestamp", () => {
    const body = json("candidate-update.json");
    const { event, drift } = processed(mapIdibu(body, delivery({ "x-idibu-event": "candidate.update" })));
    expect(drift).toEqual([]);
    expect(event).toMatchObject({
      type: "updated",
      providerEvent: "candidate.update",
      typeInferred: false,
      occurredAt: new Date("2024-10-21T07:15:47Z"),
      candidate: jess,
      job: { id: "98765", title: "Recruitment Consultant" },
      stage: { from: null, to: "Shortlisted" },
      actor: null,
    });
    expect((event.details as { vacancies: unknown }).vacancies).toEqual([
      { id: "98765", reference: "TP-1234", title: "Recruitment Consultant", status: { id: "14", type: "default", label: "Shortlisted" } },
    ]);
    expect(event.snapshot).toBe(body.payload);
  });
});

describe("vacancies", () => {
  it("accepts the field list's status_id/status_type naming and numeric ids", () => {
    const body = json("candidate-create.json");
    body.payload.id = 12345;
    body.payload.vacancies = [{ id: 98765, reference: "TP-1234", title: "Consultant", status: { status_id: 11, status_type: "extra", label: "Phone screen" } }];
    const { event, drift } = processed(mapIdibu(body, delivery()));
    expect(drift).toEqual([]);
    expect(event.candidate.externalId).toBe("12345");
    expect(event.job).toEqual({ id: "98765", title: "Consultant" });
    expect(event.stage).toEqual({ from: null, to: "Phone screen" });
    expect((event.details as { vacancies: unknown }).vacancies).toEqual([
      { id: "98765", reference: "TP-1234", title: "Consultant", status: { id: "11", type: "extra", label: "Phone screen" } },
    ]);
  });

  it("has no job or stage with several vacancies, but lists them all in details", () => {
    const body = json("candidate-create.json");
    body.payload.vacancies.push({ id: "555", reference: "X-1", title: "Sourcer", status: { id: "12", type: "extra", label: "Interview" } });
    const { event } = processed(mapIdibu(body, delivery()));
    expect(event.job).toBeNull();
    expect(event.stage).toBeNull();
    expect((event.details as { vacancies: Array<{ id: string }> }).vacancies.map((v) => v.id)).toEqual(["98765", "555"]);
  });

  it("has no job or stage without vacancies", () => {
    const body = json("candidate-create.json");
    body.payload.vacancies = [];
    const { event } = processed(mapIdibu(body, delivery()));
    expect(event.job).toBeNull();
    expect(event.stage).toBeNull();
    expect(event.details).toMatchObject({ vacancies: [] });
  });

  it("accepts a PHP index-keyed object in place of a list", () => {
    const body = json("candidate-create.json");
    body.payload.vacancies = { "1": body.payload.vacancies[0] };
    const { event, drift } = processed(mapIdibu(body, delivery()));
    expect(drift).toEqual([]);
    expect(event.stage).toEqual({ from: null, to: "Applicants" });
  });

  it("reports undeclared fields as drift", () => {
    const body = json("candidate-create.json");
    body.payload.phone = "+44";
    body.payload.vacancies[0].status.colour = "green";
    body["payload-information"].retry = 1;
    const { drift } = processed(mapIdibu(body, delivery()));
    expect(drift).toEqual(["payload-information.retry", "payload.phone", "payload.vacancies[].status.colour"]);
  });
});

describe("failures", () => {
  it("stores an event of another kind as ignored (not understood), naming the candidate events", () => {
    const body = json("candidate-create.json");
    body["payload-information"].webhook_event = "candidate.delete";
    const result = mapIdibu(body, delivery());
    expect(result).toMatchObject({ status: "ignored", providerEvent: "candidate.delete" });
    if (result.status !== "ignored") return;
    expect(result.reason).toMatch(/^not understood: idibu event "candidate.delete"/);
    expect(result.reason).toContain("candidate.create");
    expect(result.reason).toContain("candidate.update");
  });

  it.each(["x-idibu-event", "x-idibuv3-event"])("reads the event from %s when the body has no webhook_event", (header) => {
    const body = json("candidate-create.json");
    delete body["payload-information"].webhook_event;
    const result = mapIdibu(body, delivery({ [header]: "candidate.update" }));
    expect(result).toMatchObject({ status: "processed", providerEvent: "candidate.update" });
    if (result.status === "processed") {
      expect(result.events[0].type).toBe("updated");
      expect(result.events[0].occurredAt?.toISOString()).toBe("2024-10-17T14:53:12.000Z");
    }
    delete body["payload-information"];
    const bare = mapIdibu(body, delivery({ [header]: "candidate.create" }));
    expect(bare).toMatchObject({ status: "processed", providerEvent: "candidate.create" });
    if (bare.status === "processed") expect(bare.events[0].occurredAt).toBeNull();
  });

  it("fails when neither the body nor a header names the event", () => {
    const body = json("candidate-create.json");
    delete body["payload-information"].webhook_event;
    expect(failed(mapIdibu(body, delivery()))).toContain("webhook_event");
    delete body["payload-information"];
    expect(failed(mapIdibu(body, delivery()))).toContain("X-Idibu-Event");
  });

  it("names the stage by the status id when the status has no label", () => {
    const body = json("candidate-create.json");
    delete body.payload.vacancies[0].status.label;
    const result = mapIdibu(body, delivery());
    expect(result.status).toBe("processed");
    if (result.status !== "processed") return;
    expect(result.events[0].stage).toEqual({ from: null, to: "11" });
    expect(result.events[0].stages).toEqual([{ jobId: "98765", jobTitle: "Recruitment Consultant", stage: "11" }]);
  });

  it("fails without a candidate id", () => {
    const body = json("candidate-create.json");
    delete body.payload.id;
    const result = mapIdibu(body, delivery());
    expect(result.providerEvent).toBe("candidate.create");
    expect(failed(result)).toContain("payload.id");
    body.payload.id = "";
    expect(failed(mapIdibu(body, delivery()))).toContain("candidate id is required");
  });

  it("fails without a payload object", () => {
    const body = json("candidate-create.json");
    body.payload = "not json";
    expect(failed(mapIdibu(body, delivery()))).toContain("payload");
  });

  it("fails an invalid timestamp, quoting it", () => {
    const body = json("candidate-create.json");
    body["payload-information"].timestamp = "17/10/2024 16:53";
    expect(failed(mapIdibu(body, delivery()))).toContain('"17/10/2024 16:53"');
  });

  it("uses the received time when the timestamp is absent", () => {
    const body = json("candidate-create.json");
    delete body["payload-information"].timestamp;
    expect(processed(mapIdibu(body, delivery())).event.occurredAt).toBeNull();
  });

  it("fails a form decoding error passed through as the body", () => {
    expect(failed(mapIdibu(new Error("too deep"), delivery()))).toContain("too deep");
  });

  it.each([[null], [[]], ["x"]])("fails a non-object body (%j)", (body) => {
    expect(mapIdibu(body, delivery()).status).toBe("failed");
  });
});
