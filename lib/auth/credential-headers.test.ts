import { describe, expect, it } from "vitest";
import { isCredentialHeader, redactCredentialHeaders } from "./credential-headers";
import { safeNextPath } from "../api/auth";

describe("credential-like headers", () => {
  it("are found by pattern, not by a list", () => {
    for (const name of ["authorization", "proxy-authorization", "x-auth-token", "x-access-token", "x-webhook-secret", "x-api-key", "api-key", "cookie", "set-cookie", "x-my-password", "x-session-id", "x-hub-signature-256", "webhook-signature", "x-client-credential"]) {
      expect(isCredentialHeader(name), name).toBe(true);
    }
    for (const name of ["content-type", "user-agent", "webhook-id", "greenhouse-event-id", "x-idibu-delivery", "accept", "host"]) {
      expect(isCredentialHeader(name), name).toBe(false);
    }
  });

  it("are redacted in what is shown; everything else is kept as stored", () => {
    expect(redactCredentialHeaders({ "x-auth-token": "t", "content-type": "application/json" })).toEqual({ "x-auth-token": "[redacted]", "content-type": "application/json" });
    expect(redactCredentialHeaders(null)).toEqual({});
    expect(redactCredentialHeaders(["x"])).toEqual({});
  });
});

describe("safeNextPath", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeNextPath("/candidates?provider=talview")).toBe("/candidates?provider=talview");
    expect(safeNextPath("/deliveries#x")).toBe("/deliveries#x");
  });

  it("turns anything else into /: other sites, control characters, backslashes, non-strings", () => {
    for (const next of ["//evil.example", "/\\evil.example", "https://evil.example", "/\r\nSet-Cookie: x=1", "/a\u0000b", "/a\\b", "evil", "", null, undefined, ["/a", "/b"], "/" + "a".repeat(3000)]) {
      expect(safeNextPath(next), JSON.stringify(next)).toBe("/");
    }
  });
});
