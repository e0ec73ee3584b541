import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { DELIVERY_COLUMNS, deliveryCsvRow, exportableHeaders, type ExportDelivery } from "./deliveries";
import { formatHeader } from "./writer";

const delivery: ExportDelivery = {
  id: "dl_1",
  endpointId: "ep_1",
  endpointName: "@ops",
  provider: "greenhouse",
  receivedAt: new Date("2026-01-02T03:04:05.678Z"),
  method: "POST",
  query: "",
  contentType: "application/json",
  status: "failed",
  error: "bad JSON, line 1",
  eventType: null,
  eventCount: 0,
  duplicateOfId: null,
  idempotencyKey: "k",
  idempotencySource: "header",
  processedAt: null,
  processCount: 1,
  bodySha256: "abc",
  bodyBytes: 5,
  schemaDrift: null,
  headers: { signature: "sha256 deadbeef", "webhook-signature": "v1,xyz", authorization: "[redacted]", "x-api-key": "[redacted]", "content-type": "application/json", "greenhouse-event-id": "42" },
  body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
};

describe("delivery rows", () => {
  it("never exports signature or credential headers", () => {
    expect(exportableHeaders(delivery.headers)).toEqual({ "content-type": "application/json", "greenhouse-event-id": "42" });
    expect(exportableHeaders(null)).toEqual({});
  });

  it("writes the body as UTF-8 text only when asked", () => {
    const without = parse(formatHeader(DELIVERY_COLUMNS) + deliveryCsvRow(delivery, false), { columns: true }) as Record<string, string>[];
    expect(without[0]).not.toHaveProperty("body");
    expect(without[0].endpoint).toBe("'@ops");
    expect(without[0].received_at).toBe("2026-01-02T03:04:05.678Z");
    expect(without[0].error).toBe("bad JSON, line 1");
    const withBody = parse(formatHeader([...DELIVERY_COLUMNS, "body"]) + deliveryCsvRow(delivery, true), { columns: true }) as Record<string, string>[];
    expect(withBody[0].body).toBe('{"\uFFFD"}');
  });
});
