import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { auth, logIn } from "./helpers";

const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

function idibuSnapshot(candidateId: string, status: string, timestamp: string, fileLinkSignature: string) {
  const body = structuredClone(idibuCreate);
  body.payload.id = candidateId;
  body.payload.firstname = "Dana";
  body.payload.lastname = `E2E ${candidateId}`;
  body.payload.email = `dana.${candidateId}@example.com`;
  body.payload.vacancies[0].status.label = status;
  body.payload.attachments[0].file_link = `https://v3.idibu.com/c/cloud/get-file/${fileLinkSignature}/id/67890`;
  body["payload-information"].timestamp = timestamp;
  body["payload-information"].webhook_event = status === "Applicants" ? "candidate.create" : "candidate.update";
  return body;
}

async function sendIdibu(request: APIRequestContext, endpointId: string, body: unknown) {
  const response = await request.post(`/api/webhooks/${endpointId}`, {
    headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" },
    // A Buffer is sent as is; a string with a JSON content type would be JSON-encoded again.
    data: Buffer.from(JSON.stringify(body)),
  });
  expect(response.status()).toBe(200);
  return response.json();
}

test("deliveries sent to the real endpoint show up as a candidate with a stage change, diff rows, a noise toggle and live updates", async ({ page, request }, testInfo) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu dashboard e2e" } })).json();
  const candidateId = `e2e${Date.now()}`;
  await sendIdibu(request, endpoint.id, idibuSnapshot(candidateId, "Applicants", "2026-01-05T09:00:00+00:00", "SIG-ONE"));
  await sendIdibu(request, endpoint.id, idibuSnapshot(candidateId, "Shortlisted", "2026-01-07T09:00:00+00:00", "SIG-TWO"));

  await logIn(page, "/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });

  await page.goto(`/candidates?q=${candidateId}`);
  const row = page.getByRole("row").filter({ hasText: `Dana E2E ${candidateId}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Shortlisted");
  await page.screenshot({ path: testInfo.outputPath("candidates.png"), fullPage: true });
  await row.getByRole("link", { name: `Dana E2E ${candidateId}` }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Dana E2E ${candidateId}`);
  const events = page.getByRole("article", { name: /event$/ });
  const newest = events.first();
  await expect(newest).toContainText("Applicants");
  await expect(newest).toContainText("Shortlisted");
  const diffRow = newest.getByRole("row").filter({ hasText: "vacancies[id=98765].status.label" });
  await expect(diffRow).toContainText('"Applicants"');
  await expect(diffRow).toContainText('"Shortlisted"');

  // The signed download link changed too, but it is bookkeeping: hidden until asked for.
  await expect(newest).toContainText("1 bookkeeping change hidden");
  await expect(newest.getByRole("row").filter({ hasText: "file_link" })).toHaveCount(0);
  await page.getByLabel("Show bookkeeping changes").check();
  await expect(events.first().getByRole("row").filter({ hasText: "attachments[file_id=67890].file_link" })).toBeVisible();
  await page.getByLabel("Show bookkeeping changes").uncheck();

  await newest.getByRole("button", { name: "Raw delivery" }).click();
  await expect(newest.locator("pre").first()).toContainText('"webhook_event": "candidate.update"');
  await page.screenshot({ path: testInfo.outputPath("candidate.png"), fullPage: true });

  // A new delivery appears in the open timeline without a reload.
  await sendIdibu(request, endpoint.id, idibuSnapshot(candidateId, "Interview", "2026-01-09T09:00:00+00:00", "SIG-TWO"));
  await expect(events.first()).toContainText("Interview", { timeout: 15_000 });
  await expect(events).toHaveCount(3);
});

test("a failed delivery shows its error in the delivery log and is reprocessed from there", async ({ page, request }, testInfo) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: "talview failures e2e" } })).json();
  const broken = await request.post(`/api/webhooks/${endpoint.id}?event=can.candidate.updated`, {
    headers: { "content-type": "application/json" },
    data: Buffer.from(`{"id": 4242, "first_name": "Trunc ${Date.now()}`),
  });
  expect(broken.status()).toBe(202);
  const { deliveryId } = await broken.json();

  await logIn(page, "/deliveries?status=failed");
  await page.getByRole("button", { name: new RegExp(`Show delivery ${deliveryId}`) }).click();
  await expect(page).toHaveURL(new RegExp(`selected=${deliveryId}`));
  const panel = page.getByRole("complementary");
  await expect(panel).toContainText("not valid JSON");
  await page.screenshot({ path: testInfo.outputPath("deliveries.png"), fullPage: true });
  await panel.getByRole("button", { name: "Reprocess" }).click();
  await expect(panel).toContainText("Reprocessed");
  const after = await (await request.get(`/api/deliveries/${deliveryId}`, { headers: auth })).json();
  expect(after.processCount).toBe(2);
  expect(after.status).toBe("failed");
});
