import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../history/diff";
import { greenhouseHistory } from "./history";

function paths(before: unknown, after: unknown) {
  return diffSnapshots(before, after, greenhouseHistory).map((c) => [c.path, c.kind, c.noise]);
}

describe("greenhouseHistory", () => {
  it("keys contact lists by value+type (social media by value) and ignores their order", () => {
    const before = {
      website_addresses: [{ value: "a.example", type: "personal" }, { value: "b.example", type: "blog" }],
      social_media_addresses: [{ value: "@a" }, { value: "@b" }],
      addresses: [{ value: "1 Main St", type: "home" }],
    };
    const after = {
      website_addresses: [{ value: "b.example", type: "blog" }, { value: "a.example", type: "portfolio" }],
      social_media_addresses: [{ value: "@b" }, { value: "@a" }],
      addresses: [{ value: "1 Main St", type: "home" }],
    };
    expect(paths(before, after)).toEqual([
      ["website_addresses[value=a.example,type=personal]", "removed", false],
      ["website_addresses[value=a.example,type=portfolio]", "added", false],
    ]);
  });

  it("educations/employments: natural keys, position when the key fields are all missing", () => {
    expect(paths({ educations: [{ school_name: "A", degree: "BSc", end_date: "2016" }] }, { educations: [{ school_name: "A", degree: "BSc", end_date: "2017" }] })).toEqual([
      ["educations[school_name=A,degree=BSc].end_date", "changed", false],
    ]);
    expect(paths({ educations: [{ discipline: "IS" }] }, { educations: [{ discipline: "CS" }] })).toEqual([["educations[0].discipline", "changed", false]]);
    expect(paths({ employments: [{ company_name: "G", title: null }] }, { employments: [{ company_name: "G", title: null, end_date: "x" }] })).toEqual([
      ["employments[company_name=G,title=null].end_date", "added", false],
    ]);
  });

  it("flags signed URLs and activity bookkeeping as noise, not the profile url", () => {
    const before = { photo_url: "p1", url: "u1", last_activity_at: "t1", updated_at: "t1", attachments: [{ filename: "cv.pdf", type: "resume", url: "s1" }] };
    const after = { photo_url: "p2", url: "u2", last_activity_at: "t2", updated_at: "t2", attachments: [{ filename: "cv.pdf", type: "resume", url: "s2" }] };
    expect(paths(before, after)).toEqual([
      ["photo_url", "changed", true],
      ["url", "changed", false],
      ["last_activity_at", "changed", true],
      ["updated_at", "changed", true],
      ["attachments[filename=cv.pdf,type=resume].url", "changed", true],
    ]);
  });

  it("custom fields are compared key by key; multi_select values as sets", () => {
    const before = { custom_fields: { seasons: { name: "Seasons", type: "multi_select", value: ["Season 1", "Season 2"] }, level: { value: "Senior" } } };
    const after = { custom_fields: { seasons: { name: "Seasons", type: "multi_select", value: ["Season 2", "Season 3"] }, level: { value: null } } };
    expect(paths(before, after)).toEqual([
      ["custom_fields.seasons.value[]", "removed", false],
      ["custom_fields.seasons.value[]", "added", false],
      ["custom_fields.level.value", "changed", false],
    ]);
  });

  it("a deleted person's application ids are a set", () => {
    expect(paths({ deleted_application_ids: [1, 2] }, { deleted_application_ids: [2, 1, 3] })).toEqual([["deleted_application_ids[]", "added", false]]);
  });
});
