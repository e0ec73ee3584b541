import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { greenhouseAnonymization, parseAnonymized } from "./anonymize";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, name), "utf8").replace(": 00000", ': "00000"'));

describe("Greenhouse candidate_anonymized", () => {
  it("reads the documented body (corpus/candidate-anonymized.json)", () => {
    expect(parseAnonymized(fixture("corpus/candidate-anonymized.json").payload)).toEqual({ externalId: "37031511", fields: ["full_name", "current_title"] });
    expect(parseAnonymized({ anonymized_fields: ["full_name"] })).toMatch(/candidate_id/);
    expect(parseAnonymized({ candidate_id: 1, anonymized_fields: "full_name" })).toMatch(/anonymized_fields/);
  });

  it("removes the listed fields from the candidate of an application body, keeping types and everything else", () => {
    const body = fixture("fixtures/candidate-stage-change.json");
    const id = String(body.payload.application.candidate.id);
    const out = greenhouseAnonymization.redactBody(body, id, ["full_name", "email_addresses", "phone_numbers", "addresses", "current_title"]) as any;
    const c = out.payload.application.candidate;
    expect(c).toMatchObject({ first_name: "[anonymized]", last_name: "[anonymized]", email_addresses: [], phone_numbers: [], addresses: [], title: "[anonymized]" });
    expect(c.educations).toEqual(body.payload.application.candidate.educations);
    expect(out.payload.application.current_stage).toEqual(body.payload.application.current_stage);
    // The input is not changed, and a second pass changes nothing.
    expect(body.payload.application.candidate.first_name).not.toBe("[anonymized]");
    expect(greenhouseAnonymization.redactBody(out, id, ["full_name"])).toBeNull();
  });

  it("leaves a body about another candidate alone", () => {
    const body = fixture("fixtures/update-candidate.json");
    expect(greenhouseAnonymization.redactBody(body, "1", ["full_name"])).toBeNull();
    const out = greenhouseAnonymization.redactBody(body, String(body.payload.candidate.id), ["full_name", "social_media_links"]) as any;
    expect(out.payload.candidate).toMatchObject({ first_name: "[anonymized]", social_media_addresses: [] });
  });

  it("redacts snapshots the same way and says whether name and email columns go", () => {
    expect(greenhouseAnonymization.redactSnapshot({ id: 1, first_name: "A", tags: ["x"] }, ["full_name", "tags"])).toEqual({ id: 1, first_name: "[anonymized]", tags: [] });
    expect(greenhouseAnonymization.removesName(["full_name"])).toBe(true);
    expect(greenhouseAnonymization.removesEmail(["full_name"])).toBe(false);
    expect(greenhouseAnonymization.removesEmail(["email_addresses"])).toBe(true);
  });
});
