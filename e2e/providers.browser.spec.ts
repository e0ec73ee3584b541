import { expect, test, type APIRequestContext } from "@playwright/test";
import { getProvider } from "../lib/providers/registry";
import { signRequest } from "../lib/providers/sign-request";
import { auth, logIn } from "./helpers";

/** Posts a body signed the way the provider signs (in the body for Lever, a header for Ashby) through the real webhook URL. */
async function send(request: APIRequestContext, provider: "lever" | "ashby", endpoint: { id: string; secret: string }, body: unknown) {
  const signed = signRequest(getProvider(provider)!, Buffer.from(JSON.stringify(body)), endpoint.secret, { deliveryId: crypto.randomUUID(), now: new Date() });
  const response = await request.post(`/api/webhooks/${endpoint.id}`, { headers: { ...signed.headers, "content-type": "application/json" }, data: signed.body });
  expect(response.status()).toBe(200);
  expect((await response.json()).status).toBe("processed");
}

test("a Lever candidate, known only by its opportunity id, is found by it and its timeline shows the stage ids it moved through", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "lever", name: "lever e2e" } })).json();
  const opportunityId = `opp-e2e-${Date.now()}`;
  const event = (name: string, triggeredAt: number, data: Record<string, unknown>) => ({ triggeredAt, event: name, data: { opportunityId, contactId: "contact-1", ...data } });
  await send(request, "lever", endpoint, event("applicationCreated", Date.parse("2026-01-05T09:00:00Z"), { applicationId: "app-1" }));
  await send(request, "lever", endpoint, event("candidateStageChange", Date.parse("2026-01-06T09:00:00Z"), { fromStageId: "stage-lead", toStageId: "stage-phone-screen" }));
  await send(request, "lever", endpoint, event("candidateArchiveChange", Date.parse("2026-01-07T09:00:00Z"), { toArchived: { archivedAt: 1, reason: "reason-1" } }));

  await logIn(page, `/candidates?q=${opportunityId}`);
  const row = page.getByRole("row").filter({ hasText: opportunityId });
  await expect(row).toBeVisible();
  await row.getByRole("link").first().click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText(opportunityId);
  const events = page.getByRole("article", { name: /event$/ });
  await expect(events).toHaveCount(3);
  await expect(events.first()).toContainText("rejected");
  await expect(events.nth(1)).toContainText("stage-phone-screen");
});

test("an Ashby candidate's timeline shows its stage moves and the field that changed between two application snapshots", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "ashby", name: "ashby e2e" } })).json();
  const candidateId = `cand-e2e-${Date.now()}`;
  const application = (updatedAt: string, stage: string, source: string) => ({
    id: `app-${candidateId}`,
    updatedAt,
    status: "Active",
    candidate: { id: candidateId, name: `Grace E2E ${candidateId}`, primaryEmailAddress: { value: "grace@example.com", type: "Work", isPrimary: true } },
    currentInterviewStage: { id: stage, title: stage, type: "Active", orderInInterviewPlan: 0, interviewPlanId: "plan-1" },
    source: { id: "src-1", title: source, isArchived: false },
    job: { id: "job-1", title: "Staff Engineer" },
  });
  await send(request, "ashby", endpoint, { webhookActionId: crypto.randomUUID(), action: "applicationSubmit", data: { application: application("2026-01-05T09:00:00.000Z", "Application Review", "Applied") } });
  await send(request, "ashby", endpoint, { webhookActionId: crypto.randomUUID(), action: "candidateStageChange", data: { application: application("2026-01-06T09:00:00.000Z", "Recruiter Screen", "Referral") } });

  await logIn(page, `/candidates?q=${candidateId}`);
  const row = page.getByRole("row").filter({ hasText: `Grace E2E ${candidateId}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Recruiter Screen");
  await row.getByRole("link", { name: `Grace E2E ${candidateId}` }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Grace E2E ${candidateId}`);
  const newest = page.getByRole("article", { name: /event$/ }).first();
  await expect(newest).toContainText("Application Review");
  await expect(newest).toContainText("Recruiter Screen");
  const diffRow = newest.getByRole("row").filter({ hasText: "source.title" });
  await expect(diffRow).toContainText('"Applied"');
  await expect(diffRow).toContainText('"Referral"');
});
