import { describe, expect, it } from "vitest";
import { getEnv } from "./env";

const env = (vars: Record<string, string>) => getEnv({ NODE_ENV: "test", ...vars });

describe("WEBHOOK_ANSWER", () => {
  it("defaults to answering with the processing outcome; `stored` answers on commit; anything else is refused by name", () => {
    expect(env({}).WEBHOOK_ANSWER).toBe("processed");
    expect(env({ WEBHOOK_ANSWER: "stored" }).WEBHOOK_ANSWER).toBe("stored");
    expect(() => env({ WEBHOOK_ANSWER: "later" })).toThrow(/invalid configuration: WEBHOOK_ANSWER: /);
  });
});

describe("hardening settings", () => {
  it("TRUSTED_PROXIES takes addresses and ranges and names a bad entry; the limits have defaults and floors", () => {
    expect(env({ TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8, ::1" }).TRUSTED_PROXIES).toBe("127.0.0.1, 10.0.0.0/8, ::1");
    expect(() => env({ TRUSTED_PROXIES: "127.0.0.1, proxy.internal" })).toThrow(/invalid configuration: TRUSTED_PROXIES: .*"proxy\.internal"/);
    const defaults = env({});
    expect(defaults.TRUSTED_PROXIES).toBeUndefined();
    expect([defaults.HTTP_HEADERS_TIMEOUT_MS, defaults.HTTP_REQUEST_TIMEOUT_MS, defaults.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([10_000, 30_000, 5_000]);
    expect(defaults.WEBHOOK_BODY_BUDGET_MB).toBe(32);
    expect(defaults.DATABASE_WAIT_SECONDS).toBe(30);
    expect(() => env({ HTTP_REQUEST_TIMEOUT_MS: "10" })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });
});
