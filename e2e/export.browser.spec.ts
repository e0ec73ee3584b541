import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { auth, logIn } from "./helpers";

const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

function idibuSnapshot(candidateId: string, firstname: string, status: string, timestamp: string) {
  const body = structuredClone(idibuCreate);
  body.payload.id = candidateId;
  body.payload.firstname = firstname;
  body.payload.lastname = `Export ${candidateId}`;
  body.payload.email = `${candidateId}@example.com`;
  body.payload.vacancies[0].status.label = status;
  body["payload-information"].timestamp = timestamp;
  body["payload-information"].webhook_event = status === "Applicants" ? "candidate.create" : "candidate.update";
  return body;
}

async function sendIdibu(request: APIRequestContext, endpointId: string, body: unknown) {
  const response = await request.post(`/api/webhooks/${endpointId}`, {
    headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" },
    data: Buffer.from(JSON.stringify(body)),
  });
  expect(response.status()).toBe(200);
}

async function downloadCsv(page: Page, buttonName: RegExp) {
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: buttonName }).first().click();
  const download = await downloadPromise;
  const file = await download.path();
  const text = readFileSync(file!, "utf8");
  const records = parse(text, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
  return { fileName: download.suggestedFilename(), text, records };
}

test("the Export button downloads the events on screen as CSV, with progress and the server's file name", async ({ page, request }, testInfo) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu export e2e" } })).json();
  const candidateId = `exp${Date.now()}`;
  const awkward = '=HYPERLINK("http://evil.example","x") Zoë, "Q"';
  await sendIdibu(request, endpoint.id, idibuSnapshot(candidateId, awkward, "Applicants", "2026-03-01T09:00:00+00:00"));
  await sendIdibu(request, endpoint.id, idibuSnapshot(candidateId, awkward, "Shortlisted", "2026-03-02T09:00:00+00:00"));

  // The candidates list, filtered to this candidate: the export carries the same filter.
  await logIn(page, "/");
  await page.goto(`/candidates?q=${candidateId}`);
  await expect(page.getByRole("row").filter({ hasText: `Export ${candidateId}` })).toBeVisible();
  // The rows are in the server's HTML; the count beside the button comes once the page is live.
  await expect(page.getByTestId("export-summary")).toHaveText("2 rows of 1 candidate");
  const listed = await downloadCsv(page, /^Export events/);
  expect(listed.fileName).toBe(`events-q-${candidateId}.csv`);
  expect(listed.text.startsWith("event_id,occurred_at,received_at,provider,endpoint,event_type,candidate_id,")).toBe(true);
  expect(listed.records).toHaveLength(2);
  expect(listed.records.map((r) => r.candidate_external_id)).toEqual([candidateId, candidateId]);
  expect(listed.records[0].candidate_name).toBe(`'${awkward} Export ${candidateId}`);
  expect(listed.records[0].stage_from).toBe("Applicants");
  expect(listed.records[0].stage_to).toBe("Shortlisted");
  expect(listed.records[0].changed_fields).toContain("vacancies[id=98765].status.label");
  expect(listed.records[0].endpoint).toBe("idibu export e2e");
  await expect(page.getByRole("status").filter({ hasText: "Exported 2 rows" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("candidates-export.png"), fullPage: true });

  // The candidate page exports that candidate's events.
  await page.getByRole("link", { name: new RegExp(`Export ${candidateId}`) }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Export ${candidateId}`);
  const own = await downloadCsv(page, /^Export events/);
  expect(own.fileName).toBe(`events-idibu-candidate-${candidateId}.csv`);
  expect(own.records.map((r) => r.event_id)).toEqual(listed.records.map((r) => r.event_id));

  // The overview exports everything.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const everything = await downloadCsv(page, /^Export all events/);
  expect(everything.fileName).toBe("events-all.csv");
  expect(everything.records.length).toBeGreaterThanOrEqual(2);
  expect(everything.records.map((r) => r.event_id)).toEqual(expect.arrayContaining(listed.records.map((r) => r.event_id)));
});
