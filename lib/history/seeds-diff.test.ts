/**
 * The diff engine on the providers' documented payloads (copied as fixtures into each provider's folder, with their source noted),
 * taken through each provider's own map() so the snapshots are exactly what the ingest stores.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { greenhouseHistory } from "../providers/greenhouse/history";
import { greenhouseProvider } from "../providers/greenhouse/provider";
import { idibuHistory } from "../providers/idibu/history";
import { idibuProvider } from "../providers/idibu/provider";
import { outhireHistory } from "../providers/outhire/history";
import { outhireProvider } from "../providers/outhire/provider";
import { talviewHistory } from "../providers/talview/history";
import { talviewProvider } from "../providers/talview/provider";
import type { IncomingDelivery, NormalizedEvent, Provider } from "../providers/types";
import { diffSnapshots } from "./diff";
import type { Change } from "./types";

const providersDir = path.resolve(__dirname, "../providers");

function fixtureBytes(provider: string, file: string): Buffer {
  return readFileSync(path.join(providersDir, provider, "fixtures", file));
}

function delivery(body: Buffer, query: Record<string, string> = {}, contentType = "application/json"): IncomingDelivery {
  return {
    method: "POST",
    headers: { "content-type": contentType },
    query: new URLSearchParams(query),
    body,
    contentType,
    receivedAt: new Date("2026-03-11T00:00:05Z"),
  };
}

/** Maps one fixture the way the ingest does and returns its single event. */
function mapped(provider: Provider, file: string, query: Record<string, string> = {}): NormalizedEvent {
  const bytes = fixtureBytes(provider.id, file);
  const form = file.endsWith(".txt");
  const body = form ? provider.decodeForm!(bytes) : JSON.parse(bytes.toString("utf8"));
  const result = provider.map(body, delivery(bytes, query, form ? "application/x-www-form-urlencoded" : "application/json"));
  if (result.status !== "processed") throw new Error(`${file}: expected processed, got ${JSON.stringify(result)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

function snapshot(provider: Provider, file: string, query: Record<string, string> = {}): unknown {
  return mapped(provider, file, query).snapshot;
}

const talviewEducation501 = {
  id: 501,
  title: "Bachelor of Science",
  type: "bachelors",
  field_of_study: "Computer Science",
  awarding_board: null,
  institute: "State University",
  grade: null,
  gpa_value: 3.8,
  started_at: "2015-09-01",
  completed_at: "2019-06-30",
  is_current: false,
  external_id: null,
  created_at: "2023-11-05T14:30:00Z",
  created_by: 2,
  updated_at: "2023-11-05T14:30:00Z",
  updated_by: 2,
};

describe("Talview seeds", () => {
  const talviewExpected: Change[] = [
    { path: "updated_at", kind: "changed", before: "2023-11-01T10:00:00Z", after: "2023-11-05T14:30:00Z", noise: true },
    { path: "updated_by", kind: "changed", before: 1, after: 2, noise: true },
    { path: "education[id=501]", kind: "added", before: undefined, after: talviewEducation501, noise: false },
  ];

  it("created → updated: the bubbled-up education row, plus the root's bookkeeping as noise", () => {
    const before = snapshot(talviewProvider, "candidate-created.json", { event: "can.candidate.created" });
    const after = snapshot(talviewProvider, "candidate-updated.json", { event: "can.candidate.updated" });
    expect(diffSnapshots(before, after, talviewHistory)).toStrictEqual(talviewExpected);
  });

  it("a versioned {old,new} body diffs old → new the same way", () => {
    const event = mapped(talviewProvider, "candidate-versioned-snapshot.json", { event: "can.candidate.updated" });
    const previous = (event.details as { previous: unknown }).previous;
    expect(diffSnapshots(previous, event.snapshot, talviewHistory)).toStrictEqual(talviewExpected);
  });

  it("updated → deleted (the last stored snapshot) has no changes", () => {
    const before = snapshot(talviewProvider, "candidate-updated.json", { event: "can.candidate.updated" });
    const after = snapshot(talviewProvider, "candidate-deleted.json", { event: "can.candidate.deleted" });
    expect(diffSnapshots(before, after, talviewHistory)).toEqual([]);
  });

  it("a field edit inside the education row is one field change plus the row's noise", () => {
    const before = snapshot(talviewProvider, "candidate-updated.json", { event: "can.candidate.updated" }) as Record<string, any>;
    const after = structuredClone(before);
    after.education[0].institute = "State University of Example";
    after.education[0].updated_at = "2023-11-06T08:00:00Z";
    after.updated_at = "2023-11-06T08:00:00Z";
    expect(diffSnapshots(before, after, talviewHistory)).toStrictEqual([
      { path: "updated_at", kind: "changed", before: "2023-11-05T14:30:00Z", after: "2023-11-06T08:00:00Z", noise: true },
      { path: "education[id=501].institute", kind: "changed", before: "State University", after: "State University of Example", noise: false },
      { path: "education[id=501].updated_at", kind: "changed", before: "2023-11-05T14:30:00Z", after: "2023-11-06T08:00:00Z", noise: true },
    ]);
  });
});

describe("idibu seeds", () => {
  const statusChange: Change[] = [
    { path: "vacancies[id=98765].status.id", kind: "changed", before: "11", after: "14", noise: false },
    { path: "vacancies[id=98765].status.label", kind: "changed", before: "Applicants", after: "Shortlisted", noise: false },
  ];

  it("create → update: the vacancy status moves from Applicants to Shortlisted", () => {
    const before = snapshot(idibuProvider, "candidate-create.json");
    const after = snapshot(idibuProvider, "candidate-update.json");
    expect(diffSnapshots(before, after, idibuHistory)).toStrictEqual(statusChange);
  });

  it("a form-encoded create diffs against the JSON update the same way, except what brackets cannot carry", () => {
    const after = snapshot(idibuProvider, "candidate-update.json");
    expect(diffSnapshots(snapshot(idibuProvider, "candidate-create.form-json.txt"), after, idibuHistory)).toStrictEqual(statusChange);
    // http_build_query drops empty arrays, so `videos: []` only exists in the JSON delivery: by the
    // missing → present rule that is an `added` (documented behaviour, not noise).
    expect(diffSnapshots(snapshot(idibuProvider, "candidate-create.form-brackets.txt"), after, idibuHistory)).toStrictEqual([
      ...statusChange,
      { path: "videos", kind: "added", before: undefined, after: [], noise: false },
    ]);
  });

  it("a re-signed attachment link is noise; a new vacancy and a replaced file are records", () => {
    const before = snapshot(idibuProvider, "candidate-update.json") as Record<string, any>;
    const after = structuredClone(before);
    after.attachments[0].file_link = "https://v3.idibu.com/c/cloud/get-file/clientID/123/type/apptrack/file/NEWTOKEN/id/67890";
    after.attachments.push({ file_id: "67891", filename: "Cover.pdf", file_link: "https://x/67891", type: "document" });
    after.vacancies.unshift({ id: "98766", reference: "TP-2", title: "Sourcer", status: { id: "11", type: "default", label: "Applicants" } });
    expect(diffSnapshots(before, after, idibuHistory)).toStrictEqual([
      { path: "vacancies[id=98766]", kind: "added", before: undefined, after: after.vacancies[0], noise: false },
      {
        path: "attachments[file_id=67890].file_link",
        kind: "changed",
        before: before.attachments[0].file_link,
        after: after.attachments[0].file_link,
        noise: true,
      },
      { path: "attachments[file_id=67891]", kind: "added", before: undefined, after: after.attachments[1], noise: false },
    ]);
  });
});

describe("Greenhouse seeds", () => {
  it("reject → unreject: the candidate objects are identical, so no changes", () => {
    const before = snapshot(greenhouseProvider, "reject-candidate.json");
    const after = snapshot(greenhouseProvider, "unreject-candidate.json");
    expect(diffSnapshots(before, after, greenhouseHistory)).toEqual([]);
  });

  it("unhire → reject (candidate 265788): photo re-signed (noise), profile url gone, tag replaced", () => {
    const before = snapshot(greenhouseProvider, "unhire-candidate.json");
    const after = snapshot(greenhouseProvider, "reject-candidate.json");
    expect(diffSnapshots(before, after, greenhouseHistory)).toStrictEqual([
      { path: "photo_url", kind: "changed", before: "https://prod-heroku.s3.amazonaws.com/...", after: "www.example.com/photo.png", noise: true },
      { path: "url", kind: "removed", before: "https://app.greenhouse.io/people/265788", after: undefined, noise: false },
      { path: "tags[]", kind: "removed", before: "Import from Previous ATS", after: undefined, noise: false },
      { path: "tags[]", kind: "added", before: undefined, after: "Imported", noise: false },
    ]);
  });

  it("stage-change candidate edited: composite keys, attachments by filename+type, custom field, reorders ignored", () => {
    const before = snapshot(greenhouseProvider, "candidate-stage-change.json") as Record<string, any>;
    const after = structuredClone(before);
    after.attachments.reverse();
    after.attachments[0].url = "https://prod-heroku.s3.amazonaws.com/re-signed";
    after.email_addresses[0].type = "work";
    after.phone_numbers.push({ value: "330-281-8005", type: "mobile" });
    after.social_media_addresses = [];
    after.educations[0].discipline = "Computer Science";
    after.employments.push({ company_name: "Example", title: "Staff Engineer", start_date: "01/01/2016", end_date: null });
    after.custom_fields.favorite_color.value = "Green";
    after.tags.push("Referral");
    expect(diffSnapshots(before, after, greenhouseHistory)).toStrictEqual([
      { path: "phone_numbers[value=330-281-8005,type=mobile]", kind: "added", before: undefined, after: after.phone_numbers[1], noise: false },
      {
        path: "email_addresses[value=giuseppe.hurley@example.com,type=personal]",
        kind: "removed",
        before: { value: "giuseppe.hurley@example.com", type: "personal" },
        after: undefined,
        noise: false,
      },
      {
        path: "email_addresses[value=giuseppe.hurley@example.com,type=work]",
        kind: "added",
        before: undefined,
        after: { value: "giuseppe.hurley@example.com", type: "work" },
        noise: false,
      },
      {
        path: "social_media_addresses[value=linkedin.example.com/ghurley]",
        kind: "removed",
        before: { value: "linkedin.example.com/ghurley" },
        after: undefined,
        noise: false,
      },
      {
        path: "educations[school_name=Harvard University,degree=Bachelor's Degree].discipline",
        kind: "changed",
        before: "Information Systems",
        after: "Computer Science",
        noise: false,
      },
      { path: "employments[company_name=Example,title=Staff Engineer]", kind: "added", before: undefined, after: after.employments[1], noise: false },
      {
        path: "attachments[filename=portfolio.pdf,type=attachment].url",
        kind: "changed",
        before: "https://prod-heroku.s3.amazonaws.com/...",
        after: "https://prod-heroku.s3.amazonaws.com/re-signed",
        noise: true,
      },
      { path: "tags[]", kind: "added", before: undefined, after: "Referral", noise: false },
      { path: "custom_fields.favorite_color.value", kind: "changed", before: "Blue", after: "Green", noise: false },
    ]);
  });
});

describe("Outhire seeds", () => {
  it("applied → stage_changed: the slimmer stage_changed candidate drops fields and adds public_id", () => {
    const before = snapshot(outhireProvider, "candidate-applied.json");
    const after = snapshot(outhireProvider, "candidate-stage-changed.json");
    expect(diffSnapshots(before, after, outhireHistory).map((c) => [c.path, c.kind, c.noise])).toEqual([
      ["phone", "removed", false],
      ["fit_score", "removed", false],
      ["applied_at", "removed", false],
      ["resume_url", "removed", true],
      ["resume_data", "removed", false],
      ["public_id", "added", false],
    ]);
  });
});
