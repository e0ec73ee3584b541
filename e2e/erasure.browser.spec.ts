import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { auth, logIn } from "./helpers";

test("Erase candidate: typing the provider id confirms, the candidate is gone, the erasure is on record", async ({ page, request }, testInfo) => {
  const name = `erasure e2e ${Date.now()}`;
  const created = await request.post("/api/endpoints", { headers: auth, data: { provider: "outhire", name } });
  expect(created.status()).toBe(201);

  await logIn(page, "/settings");
  const row = page.getByRole("listitem", { name: `Outhire endpoint ${name}`, exact: true });
  await row.getByRole("button", { name: "Send test delivery" }).click();
  const result = row.getByTestId("test-delivery-result");
  await expect(result).toContainText("processed");
  await result.getByRole("link", { name: "Open the candidate" }).click();
  await expect(page).toHaveURL(/\/candidates\/cand_/);
  await expect(page.getByRole("heading", { level: 1 }).getByText("Test", { exact: true })).toBeVisible();
  const candidateUrl = page.url();
  const externalId = (await page.locator("dt", { hasText: "External ID" }).locator("xpath=following-sibling::dd[1]//code").textContent())!.trim();

  await page.getByRole("button", { name: "Erase candidate…" }).click();
  const form = page.getByRole("form", { name: "Erase candidate" });
  const erase = form.getByRole("button", { name: "Erase permanently" });
  await expect(erase).toBeDisabled();
  await form.getByLabel(/Type the provider id/).fill(`${externalId}x`);
  await expect(erase).toBeDisabled();
  await form.getByLabel(/Type the provider id/).fill(externalId);
  await expect(erase).toBeEnabled();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("erase-confirm.png"), fullPage: true });
  await erase.click();

  await expect(page.getByRole("status").filter({ hasText: "Candidate erased." })).toContainText(/1 candidate record, \d+ events? and the bodies of \d+ deliver/);
  await page.goto(candidateUrl);
  await expect(page.getByText("Candidate not found")).toBeVisible();

  const erasures = await request.get("/api/erasures", { headers: auth });
  expect(erasures.status()).toBe(200);
  const list = (await erasures.json()).erasures as { counts: { candidates: number } }[];
  expect(list[0].counts.candidates).toBe(1);
  expect(JSON.stringify(list)).not.toContain(externalId);

  // Settings lists the erasure, and sets retention.
  await page.goto("/settings");
  const records = page.getByRole("region", { name: "Erasures", exact: true });
  await expect(records.getByRole("row")).toHaveCount(list.length + 1);
  await expect(records).toContainText("1 candidates");
  const retention = page.getByRole("region", { name: "Retention" });
  await retention.getByLabel("Raw bodies (days)").fill("400");
  await retention.getByRole("button", { name: "Save" }).click();
  await expect(retention.getByRole("status")).toHaveText("Saved.");
  const saved = await (await request.get("/api/settings/retention", { headers: auth })).json();
  expect(saved).toEqual({ rawBodyDays: 400, eventDays: null, rejectedDays: 30 });
  await retention.getByRole("button", { name: "Run now" }).click();
  await expect(retention.getByRole("status")).toContainText(/Dropped 0 raw bodies/);
  const axeSettings = await new AxeBuilder({ page }).analyze();
  expect(axeSettings.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("settings-personal-data.png"), fullPage: true });
});
