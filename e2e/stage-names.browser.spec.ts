import { expect, test, type APIRequestContext } from "@playwright/test";
import { getProvider } from "../lib/providers/registry";
import { signRequest } from "../lib/providers/sign-request";
import { auth, logIn, expectNoSeriousAxeViolations } from "./helpers";

/** A Lever body signed the way Lever signs (token + triggeredAt, in the body), through the real webhook URL. */
async function send(request: APIRequestContext, endpoint: { id: string; secret: string }, body: unknown) {
  const signed = signRequest(getProvider("lever")!, Buffer.from(JSON.stringify(body)), endpoint.secret, { deliveryId: crypto.randomUUID(), now: new Date() });
  const response = await request.post(`/api/webhooks/${endpoint.id}`, { headers: { ...signed.headers, "content-type": "application/json" }, data: signed.body });
  expect((await response.json()).status).toBe("processed");
}

test("naming a Lever stage on the endpoint's page renames it on the candidate page, past events included", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "lever", name: "lever stage names e2e" } })).json();
  const opportunityId = `opp-names-${Date.now()}`;
  const stageId = `stage-${crypto.randomUUID()}`;
  const event = (name: string, at: string, data: Record<string, unknown>) => ({ triggeredAt: Date.parse(at), event: name, data: { opportunityId, ...data } });
  await send(request, endpoint, event("applicationCreated", "2026-01-05T09:00:00Z", { applicationId: "app-1" }));
  await send(request, endpoint, event("candidateStageChange", "2026-01-06T09:00:00Z", { fromStageId: "stage-lead", toStageId: stageId }));

  // Before: the candidate page shows the stage id.
  await logIn(page, `/candidates?q=${opportunityId}`);
  const row = page.getByRole("row").filter({ hasText: opportunityId });
  await expect(row).toContainText(stageId);
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(opportunityId);
  const candidateUrl = page.url();
  await expect(page.getByRole("article", { name: /event$/ }).first()).toContainText(stageId);

  // Settings → the endpoint: every stage id seen, with a name field.
  await page.goto(`/settings/endpoints/${endpoint.id}`);
  const names = page.getByRole("form", { name: "Stage names" });
  await expect(names.getByLabel("stage-lead")).toHaveValue("");
  await names.getByLabel(stageId).fill("Phone screen");
  await names.getByRole("button", { name: "Save names" }).click();
  await expect(names.getByRole("status")).toHaveText("Saved.");
  await expectNoSeriousAxeViolations(page, "endpoint page, stage names");
  // A phone: the long stage ids wrap, the page does not scroll sideways; dark mode too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(names.getByLabel(stageId)).toHaveValue("Phone screen");
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
  await expectNoSeriousAxeViolations(page, "endpoint page, stage names, phone, dark");
  await page.emulateMedia({ colorScheme: "light" });

  // After: the same past event and the candidate's current stage read the name.
  await page.goto(candidateUrl);
  const newest = page.getByRole("article", { name: /event$/ }).first();
  await expect(newest).toContainText(/stage-lead\s*→\s*(to)?\s*Phone screen/);
  // The field-level diff still shows the payload as sent (toStageId: the id); the stage reads the name.
  await page.goto(`/candidates?q=${opportunityId}`);
  await expect(page.getByRole("row").filter({ hasText: opportunityId })).toContainText("Phone screen");
});
