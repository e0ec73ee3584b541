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
