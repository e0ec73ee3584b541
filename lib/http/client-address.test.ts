import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { clientAddress, dropUntrustedForwarding, parseTrustedProxies } from "./client-address";

describe("TRUSTED_PROXIES", () => {
  it("takes addresses and CIDR ranges, IPv4 and IPv6, and IPv4-mapped socket addresses", () => {
    const trusted = parseTrustedProxies(" 10.0.0.0/8, 192.0.2.1 ,::1, 2001:db8::/32");
    for (const a of ["10.1.2.3", "::ffff:10.9.9.9", "192.0.2.1", "::1", "2001:db8::5"]) expect(trusted.has(a), a).toBe(true);
    for (const a of ["11.0.0.1", "192.0.2.2", "::2", "2001:db9::1", "junk", ""]) expect(trusted.has(a), a).toBe(false);
  });

  it("refuses what is not an address or range, naming it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, nginx")).toThrow(/"nginx"/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
    expect(parseTrustedProxies(undefined).has("127.0.0.1")).toBe(false);
  });
});

describe("the client's address", () => {
  const trusted = parseTrustedProxies("127.0.0.1, 10.0.0.0/8");

  it("is the socket's when it is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", trusted)).toBe("203.0.113.5");
    expect(clientAddress("::ffff:203.0.113.5", undefined, trusted)).toBe("203.0.113.5");
  });

  it("behind trusted proxies, is the last untrusted hop (a client cannot prepend its way in)", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.7", trusted)).toBe("198.51.100.1");
    expect(clientAddress("127.0.0.1", ["6.6.6.6", "198.51.100.1"], trusted)).toBe("198.51.100.1");
    expect(clientAddress("127.0.0.1", "10.0.0.9", trusted)).toBe("10.0.0.9");
  });

  it("stops at garbage in the header rather than believing what is left of it", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.1, not-an-ip", trusted)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "", trusted)).toBe("127.0.0.1");
  });
});

describe("forwarding headers", () => {
  const trusted = parseTrustedProxies("127.0.0.2");
  const request = (remoteAddress: string) =>
    ({
      socket: { remoteAddress },
      headers: { host: "app.local", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-for": "6.6.6.6", "x-forwarded-port": "443", forwarded: "host=evil.example", "x-other": "kept" },
    }) as unknown as IncomingMessage;

  it("are dropped when the connection is not a trusted proxy: a client cannot name our host or scheme", () => {
    const req = request("203.0.113.5");
    dropUntrustedForwarding(req, trusted);
    expect(req.headers).toEqual({ host: "app.local", "x-other": "kept" });
  });

  it("are kept from a trusted proxy", () => {
    const req = request("::ffff:127.0.0.2");
    dropUntrustedForwarding(req, trusted);
    expect(req.headers["x-forwarded-host"]).toBe("evil.example");
    expect(req.headers["x-forwarded-proto"]).toBe("https");
  });
});
