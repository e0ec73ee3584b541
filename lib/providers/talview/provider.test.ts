import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { talviewProvider } from "./provider";

const read = (file: string) => readFileSync(path.join(__dirname, file));

function delivery(body: Buffer, query: Record<string, string> = {}, method = "POST"): IncomingDelivery {
  return {
    method,
    headers: {},
    query: new URLSearchParams(query),
    body,
    contentType: "application/json",
    receivedAt: new Date("2024-01-01T00:00:00Z"),
  };
}

describe("talviewProvider", () => {
  it("is an unsigned provider accepting the methods a subscriber can choose", () => {
    expect(talviewProvider.id).toBe("talview");
    expect(talviewProvider.signs).toBe(false);
    expect(talviewProvider.acceptsForm).toBe(false);
    expect([...talviewProvider.methods]).toEqual(["POST", "PUT", "PATCH"]);
    expect(talviewProvider.generateSecret()).toBeNull();
    expect(talviewProvider.verify(delivery(Buffer.from("{}")), [])).toEqual({ ok: true });
    expect(talviewProvider.sign(Buffer.from("{}"), null, { deliveryId: "d1", now: new Date() })).toEqual({});
  });

  it("setup names one URL per event via ?event=", () => {
    const text = talviewProvider.setup.events.join("\n");
    for (const event of ["can.candidate.created", "can.candidate.updated", "can.candidate.deleted"]) {
      expect(text).toContain(`?event=${event}`);
    }
    expect(talviewProvider.setup.whereToPaste).toMatch(/PUT/);
  });

  it.each(talviewProvider.fixtures.map((f) => [f.name, f] as const))("fixture %s maps cleanly", (_name, f) => {
    const body = read(f.file);
    const result = talviewProvider.map(JSON.parse(body.toString("utf8")), delivery(body, f.query));
    expect(result).toMatchObject({ status: "processed", providerEvent: f.query?.event, drift: [] });
  });

  it("ships the deleted fixture byte-identical to the updated one, as Talview may send it", () => {
    expect(read("fixtures/candidate-deleted.json").equals(read("fixtures/candidate-updated.json"))).toBe(true);
  });
});

describe("talviewProvider.idempotencyKey", () => {
  const body = read("fixtures/candidate-updated.json");

  it("gives a deleted and an updated delivery with identical bodies different keys", () => {
    const updated = talviewProvider.idempotencyKey(delivery(body, { event: "can.candidate.updated" }));
    const deleted = talviewProvider.idempotencyKey(delivery(body, { event: "can.candidate.deleted" }));
    expect(updated).not.toBeNull();
    expect(deleted).not.toBeNull();
    expect(updated?.key).not.toBe(deleted?.key);
    expect(deleted?.source).toBe("event+body sha256");
  });

  it("is sha256 of the dot-form event, a newline and the raw body", () => {
    const expected = createHash("sha256").update(Buffer.concat([Buffer.from("can.candidate.deleted\n"), body])).digest("hex");
    expect(talviewProvider.idempotencyKey(delivery(body, { event: "can.candidate.deleted" }))).toEqual({
      key: `sha256:${expected}`,
      source: "event+body sha256",
    });
  });

  it("treats the underscore form and a different method as the same delivery (retries dedupe)", () => {
    const dot = talviewProvider.idempotencyKey(delivery(body, { event: "can.candidate.updated" }));
    const underscore = talviewProvider.idempotencyKey(delivery(body, { event: "can_candidate_updated" }, "PATCH"));
    expect(underscore).toEqual(dot);
  });

  it("changes with the body", () => {
    const a = talviewProvider.idempotencyKey(delivery(body, { event: "can.candidate.updated" }));
    const b = talviewProvider.idempotencyKey(delivery(read("fixtures/candidate-created.json"), { event: "can.candidate.updated" }));
    expect(a?.key).not.toBe(b?.key);
  });

  it("returns null without ?event= or with an unknown event, leaving the ingest's body hash", () => {
    expect(talviewProvider.idempotencyKey(delivery(body))).toBeNull();
    expect(talviewProvider.idempotencyKey(delivery(body, { event: "nope" }))).toBeNull();
  });
});
