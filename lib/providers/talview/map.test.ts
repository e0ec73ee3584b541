import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery, MapResult, NormalizedEvent } from "../types";
import { parseIsoTimestamp } from "../shared/time";
import { mapTalview } from "./map";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name));
const json = (name: string) => JSON.parse(fixture(name).toString("utf8")) as Record<string, unknown>;

function delivery(body: Buffer, query: Record<string, string> = {}): IncomingDelivery {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    query: new URLSearchParams(query),
    body,
    contentType: "application/json",
    receivedAt: new Date("2024-01-01T00:00:00Z"),
  };
}

function processed(result: MapResult): { providerEvent: string; event: NormalizedEvent; drift: string[] } {
  if (result.status !== "processed") throw new Error(`expected processed, got ${JSON.stringify(result)}`);
  expect(result.events).toHaveLength(1);
  return { providerEvent: result.providerEvent, event: result.events[0], drift: result.drift };
}

function run(name: string, query: Record<string, string> = {}) {
  const body = json(name);
  return { body, result: mapTalview(body, delivery(fixture(name), query)) };
}

const jane = { externalId: "101", name: "Jane Marie Doe", email: "jane.doe@example.com" };

describe("Talview doc example (can.candidate.created)", () => {
  it("maps to one created event with the documented fields", () => {
    const { body, result } = run("candidate-created.json", { event: "can.candidate.created" });
    const { providerEvent, event, drift } = processed(result);
    expect(providerEvent).toBe("can.candidate.created");
    expect(drift).toEqual([]);
    expect(event).toEqual({
      type: "created",
      providerEvent: "can.candidate.created",
      typeInferred: false,
      occurredAt: new Date("2023-11-01T10:00:00Z"),
      candidate: jane,
      job: null,
      applicationId: null,
      stage: null,
      actor: "talview-user:1",
      details: { externalId: "ext_can_101" },
      snapshot: body,
    });
    expect(event.snapshot).toBe(body);
  });

  it.each([
    ["can.candidate.created", "created"],
    ["can_candidate_created", "created"],
    ["can.candidate.updated", "updated"],
    ["can_candidate_updated", "updated"],
    ["can.candidate.deleted", "deleted"],
    ["can_candidate_deleted", "deleted"],
  ])("?event=%s maps to %s with the dot-form providerEvent", (value, type) => {
    const { event } = processed(run("candidate-created.json", { event: value }).result);
    expect(event.type).toBe(type);
    expect(event.providerEvent).toBe(`can.candidate.${type}`);
    expect(event.typeInferred).toBe(false);
  });

  it("infers created without ?event= because created_at equals updated_at", () => {
    const { providerEvent, event } = processed(run("candidate-created.json").result);
    expect(providerEvent).toBe("can.candidate.created");
    expect(event.type).toBe("created");
    expect(event.typeInferred).toBe(true);
  });
});

describe("hand-made updated / deleted / versioned fixtures", () => {
  it("updated: later snapshot with the new education entry, no drift", () => {
    const { body, result } = run("candidate-updated.json", { event: "can.candidate.updated" });
    const { event, drift } = processed(result);
    expect(drift).toEqual([]);
    expect(event).toMatchObject({
      type: "updated",
      providerEvent: "can.candidate.updated",
      typeInferred: false,
      occurredAt: new Date("2023-11-05T14:30:00Z"),
      candidate: jane,
      actor: "talview-user:2",
      details: { externalId: "ext_can_101" },
    });
    expect(event.snapshot).toBe(body);
    expect((event.snapshot as { education: unknown[] }).education).toHaveLength(1);
  });

  it("infers updated without ?event= because updated_at is later than created_at", () => {
    const { event } = processed(run("candidate-updated.json").result);
    expect(event.type).toBe("updated");
    expect(event.providerEvent).toBe("can.candidate.updated");
    expect(event.typeInferred).toBe(true);
  });

  it("deleted: uses the received time, since the body's updated_at is the previous change", () => {
    const { body, result } = run("candidate-deleted.json", { event: "can_candidate_deleted" });
    const { event } = processed(result);
    expect(event.type).toBe("deleted");
    expect(event.providerEvent).toBe("can.candidate.deleted");
    expect(event.occurredAt).toBeNull();
    expect(event.candidate).toEqual(jane);
    expect(event.snapshot).toBe(body);
  });

  it("versioned snapshot {old,new}: snapshot is new, details.previous is old", () => {
    const { body, result } = run("candidate-versioned-snapshot.json", { event: "can.candidate.updated" });
    const { event, drift } = processed(result);
    expect(drift).toEqual([]);
    expect(event.type).toBe("updated");
    expect(event.candidate).toEqual(jane);
    expect(event.occurredAt).toEqual(new Date("2023-11-05T14:30:00Z"));
    expect(event.snapshot).toBe(body.new);
    expect(event.details).toEqual({ externalId: "ext_can_101", previous: body.old });
    expect((event.details as { previous: unknown }).previous).toBe(body.old);
    expect(event.snapshot).toEqual(json("candidate-updated.json"));
  });

  it("versioned snapshot without ?event= is inferred as updated even if new has equal timestamps", () => {
    const created = json("candidate-created.json");
    const result = mapTalview({ old: created, new: created }, delivery(Buffer.from("{}")));
    const { event } = processed(result);
    expect(event.type).toBe("updated");
    expect(event.providerEvent).toBe("can.candidate.updated");
    expect(event.typeInferred).toBe(true);
  });

  it("reports drift inside the versioned snapshot's deepest arrays", () => {
    const body = json("candidate-versioned-snapshot.json") as { new: Record<string, unknown> };
    body.new.projects = [{ id: 1, title: "X", technologies: [{ id: 2, technology: "TS", level: "expert" }] }];
    body.new.hobby = "chess";
    const { drift } = processed(mapTalview(body, delivery(Buffer.from("{}"))));
    expect(drift).toEqual(["new.hobby", "new.projects[].technologies[].level"]);
  });
});

describe("leniency and failures", () => {
  it("accepts a string id and a candidate with only an id", () => {
    const { event } = processed(mapTalview({ id: "abc-1" }, delivery(Buffer.from("{}"), { event: "can.candidate.updated" })));
    expect(event.candidate).toEqual({ externalId: "abc-1", name: null, email: null });
    expect(event.occurredAt).toBeNull();
    expect(event.actor).toBeNull();
    expect(event.details).toBeNull();
  });

  it("skips null name parts", () => {
    const body = { ...json("candidate-created.json"), middle_name: null };
    const { event } = processed(mapTalview(body, delivery(Buffer.from("{}"))));
    expect(event.candidate.name).toBe("Jane Doe");
  });

  it("records unknown fields as drift but still processes", () => {
    const body = { ...json("candidate-created.json"), pronouns: "she/her", education: [{ id: 1, honours: true }] };
    const { drift } = processed(mapTalview(body, delivery(Buffer.from("{}"))));
    expect(drift).toEqual(["education[].honours", "pronouns"]);
  });

  it("stores an event of another kind as ignored (not understood) and lists the candidate events", () => {
    const result = mapTalview(json("candidate-created.json"), delivery(Buffer.from("{}"), { event: "can.candidate.merged" }));
    expect(result.status).toBe("ignored");
    if (result.status !== "ignored") return;
    expect(result.providerEvent).toBe("can.candidate.merged");
    expect(result.reason).toMatch(/^not understood: .*can\.candidate\.merged/);
    for (const accepted of ["can.candidate.created", "can.candidate.updated", "can.candidate.deleted", "can_candidate_deleted"]) {
      expect(result.reason).toContain(accepted);
    }
  });

  it("fails an empty ?event= value rather than guessing", () => {
    const result = mapTalview(json("candidate-created.json"), delivery(Buffer.from("{}"), { event: "" }));
    expect(result.status).toBe("failed");
  });

  it("fails without a candidate id", () => {
    const { id: _id, ...body } = json("candidate-created.json");
    const result = mapTalview(body, delivery(Buffer.from("{}"), { event: "can.candidate.created" }));
    expect(result).toMatchObject({ status: "failed", providerEvent: "can.candidate.created" });
    if (result.status === "failed") expect(result.error).toContain("candidate id is required");
  });

  it("fails a versioned snapshot whose new state has no id", () => {
    const result = mapTalview({ old: { id: 1 }, new: { first_name: "Jane" } }, delivery(Buffer.from("{}")));
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toContain("new.id");
  });

  it("fails an invalid updated_at with the offending value", () => {
    const body = { ...json("candidate-created.json"), updated_at: "yesterday" };
    const result = mapTalview(body, delivery(Buffer.from("{}"), { event: "can.candidate.updated" }));
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toContain('"yesterday"');
  });

  it.each([[null], [[]], ["text"], [42]])("fails a non-object body (%j)", (body) => {
    expect(mapTalview(body, delivery(Buffer.from("{}"))).status).toBe("failed");
  });
});

describe("parseIsoTimestamp", () => {
  it.each([
    ["2023-11-01T10:00:00Z", "2023-11-01T10:00:00.000Z"],
    ["2023-11-01T10:00:00.123456Z", "2023-11-01T10:00:00.123Z"],
    ["2023-11-01T12:00:00+02:00", "2023-11-01T10:00:00.000Z"],
    ["2023-11-01T12:00:00+0200", "2023-11-01T10:00:00.000Z"],
    ["2023-11-01 10:00:00", "2023-11-01T10:00:00.000Z"],
  ])("%s → %s", (input, iso) => {
    expect(parseIsoTimestamp(input)?.toISOString()).toBe(iso);
  });

  it.each(["", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "Nov 1 2023", "2023-11-01", "1698832800"])(
    "rejects %j",
    (input) => {
      expect(parseIsoTimestamp(input)).toBeNull();
    },
  );
});
