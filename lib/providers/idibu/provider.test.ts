import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { decodeIdibuForm } from "./form";
import { idibuProvider } from "./provider";

const read = (file: string) => readFileSync(path.join(__dirname, file));
const options = { deliveryId: "11111111-2222-3333-4444-555555555555", now: new Date("2024-10-17T14:53:12Z") };

function delivery(headers: Record<string, string>, body = Buffer.from("{}")): IncomingDelivery {
  return {
    method: "POST",
    headers,
    query: new URLSearchParams(),
    body,
    contentType: "application/json",
    receivedAt: new Date("2024-01-01T00:00:00Z"),
  };
}

describe("idibuProvider", () => {
  it("is an unsigned, form-accepting POST provider", () => {
    expect(idibuProvider.id).toBe("idibu");
    expect(idibuProvider.signs).toBe(false);
    expect(idibuProvider.acceptsForm).toBe(true);
    expect([...idibuProvider.methods]).toEqual(["POST"]);
    expect(idibuProvider.generateSecret()).toBeNull();
    expect(idibuProvider.verify(delivery({}), [])).toEqual({ ok: true });
  });

  it("uses X-Idibu-Delivery as the idempotency key", () => {
    expect(idibuProvider.idempotencyKey(delivery({ "x-idibu-delivery": "f38a0abc-dc1d-4e3c-bb63-dfc1acd9ce88" }))).toEqual({
      key: "f38a0abc-dc1d-4e3c-bb63-dfc1acd9ce88",
      source: "X-Idibu-Delivery",
    });
    expect(idibuProvider.idempotencyKey(delivery({}))).toBeNull();
    expect(idibuProvider.idempotencyKey(delivery({ "x-idibu-delivery": "  " }))).toBeNull();
  });

  it("uses idibu v3's X-IdibuV3-Delivery the same way", () => {
    expect(idibuProvider.idempotencyKey(delivery({ "x-idibuv3-delivery": "0b7c9e4e-v3" }))).toEqual({ key: "0b7c9e4e-v3", source: "X-IdibuV3-Delivery" });
  });

  it("sign() adds the sender's headers with the event taken from the body", () => {
    expect(idibuProvider.sign(read("fixtures/candidate-create.json"), null, options)).toEqual({
      "User-Agent": "Idibu-Hookshot",
      "X-Idibu-Delivery": options.deliveryId,
      "X-Idibu-Event": "candidate.create",
    });
    expect(idibuProvider.sign(read("fixtures/candidate-update.json"), null, options)["X-Idibu-Event"]).toBe("candidate.update");
    expect(idibuProvider.sign(read("fixtures/candidate-create.form-brackets.txt"), null, options)["X-Idibu-Event"]).toBe(
      "candidate.create",
    );
    expect(idibuProvider.sign(Buffer.from("garbage"), null, options)).toEqual({
      "User-Agent": "Idibu-Hookshot",
      "X-Idibu-Delivery": options.deliveryId,
    });
  });

  it.each(idibuProvider.fixtures.map((f) => [f.name, f] as const))("fixture %s maps cleanly", (_name, f) => {
    const bytes = read(f.file);
    const body = f.contentType === "application/x-www-form-urlencoded" ? decodeIdibuForm(bytes) : JSON.parse(bytes.toString("utf8"));
    const d = delivery(f.headers ?? {}, bytes);
    expect(idibuProvider.map(body, d)).toMatchObject({ status: "processed", drift: [] });
    expect(idibuProvider.idempotencyKey(d)?.key).toBe(f.headers?.["x-idibu-delivery"]);
  });

  it("fixtures carry distinct delivery ids", () => {
    const ids = idibuProvider.fixtures.map((f) => f.headers?.["x-idibu-delivery"]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
