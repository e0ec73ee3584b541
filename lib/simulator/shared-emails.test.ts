import { describe, expect, it } from "vitest";
import { getProvider } from "../providers/registry";
import { buildHistories } from "./build-histories";
import { shareEmails } from "./shared-emails";

describe("demo people in two providers", () => {
  it("gives one history per later provider the email and name of a different history of the first, in every body", () => {
    const byProvider = (["greenhouse", "outhire", "ashby"] as const).map((provider) => buildHistories({ provider, candidates: 3, seed: "shared" }));
    const shared = shareEmails(byProvider, 1);
    expect(shared[0]).toBe(byProvider[0]);
    expect(shared[1][0].email).toBe(byProvider[0][0].email);
    expect(shared[2][0].email).toBe(byProvider[0][1].email);
    expect(shared[1][1]).toBe(byProvider[1][1]);

    // The mapped events carry the shared email, so linking by email groups them.
    for (const [k, provider] of [[1, "outhire"], [2, "ashby"]] as const) {
      const emails = shared[k][0].deliveries.flatMap((d) => {
        const result = getProvider(provider)!.map(JSON.parse(d.body.toString()), {
          method: "POST",
          headers: {},
          query: new URLSearchParams(d.query ?? {}),
          body: d.body,
          contentType: d.contentType,
          receivedAt: d.occurredAt,
        });
        return result.status === "processed" ? result.events.map((e) => [e.candidate.email, e.candidate.name]).filter(([email]) => email) : [];
      });
      expect(emails.length).toBeGreaterThan(0);
      expect(new Set(emails.map(([email]) => email))).toEqual(new Set([shared[k][0].email]));
      // The same person: the first provider's name, wherever the mapped events carry one.
      expect(shared[k][0].name).toBe(byProvider[0][k - 1].name);
      expect(new Set(emails.map(([, name]) => name).filter(Boolean))).toEqual(new Set([shared[k][0].name]));
    }
  });
});
