import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { auth, logIn, expectNoSeriousAxeViolations, expectNoSidewaysScroll, sizes } from "./helpers";

// Issue 15: rotating an unsigned provider's URL, counts that open the log, refusals before the body
// is read (404/410/413) in the refused log, and the "derived" mark on stage moves read from snapshots.
const talviewCreated = readFileSync(path.join(import.meta.dirname, "../lib/providers/talview/fixtures/candidate-created.json"));
const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

const sendTalview = (request: APIRequestContext, pathOrUrl: string) =>
  request.post(`${pathOrUrl}?event=can.candidate.created`, { headers: { "content-type": "application/json" }, data: talviewCreated });

for (const size of sizes) {
  test(`${size.name}: Rotate URL on the endpoint page issues a new URL; the old one keeps working for the overlap`, async ({ page, request }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    const created = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: `rotate url ${size.name}` } })).json();
    const oldPath = new URL(created.url).pathname;
    await logIn(page, `/settings/endpoints/${created.id}`);
    const row = page.getByRole("listitem", { name: `Talview endpoint rotate url ${size.name}`, exact: true });
    await expect(row.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
    await row.getByRole("button", { name: "Rotate URL" }).click();
    const form = row.getByRole("form", { name: "Rotate URL" });
    await expect(form).toContainText("keeps receiving deliveries for the hours below");
    await form.getByLabel("Old URL keeps working for (hours)").fill("1");
    await expectNoSeriousAxeViolations(page, "endpoint page, rotate URL form");
    await form.getByRole("button", { name: "Issue new URL" }).click();
    const issued = row.getByRole("status", { name: "New URL issued" });
    await expect(issued.getByTestId("rotated-url")).toContainText("/api/webhooks/whk_");
    const newUrl = (await issued.getByTestId("rotated-url").textContent())!;
    expect(newUrl).not.toContain(created.id);
    await expect(row.getByText(/previous URL keeps working until/)).toBeVisible();
    // The row shows the new URL as the endpoint's URL.
    await expect(row.locator("code", { hasText: new URL(newUrl).pathname }).first()).toBeVisible();
    await expectNoSidewaysScroll(page, `endpoint page at ${size.name}`);
    await expectNoSeriousAxeViolations(page, "endpoint page, new URL issued");

    expect((await sendTalview(request, new URL(newUrl).pathname)).status()).toBe(200);
    expect((await sendTalview(request, oldPath)).status()).toBe(200);

    // Settings lists the same action on the row, for unsigned providers only.
    await page.goto("/settings");
    const settingsRow = page.getByRole("listitem", { name: `Talview endpoint rotate url ${size.name}`, exact: true });
    await expect(settingsRow.getByRole("button", { name: "Rotate URL" })).toBeVisible();
    await settingsRow.getByRole("button", { name: "Rotate URL" }).click();
    await settingsRow.getByRole("button", { name: "Cancel" }).click();
    await expect(settingsRow.getByRole("form", { name: "Rotate URL" })).toHaveCount(0);
  });
}

test("the 24 h counts link to the delivery log filtered to the endpoint and outcome", async ({ page, request }) => {
  const created = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: "count links" } })).json();
  const endpointPath = new URL(created.url).pathname;
  expect((await sendTalview(request, endpointPath)).status()).toBe(200);
  expect((await request.post(endpointPath, { headers: { "content-type": "application/xml" }, data: "<x/>" })).status()).toBe(415);
  await logIn(page, "/settings");
  const row = page.getByRole("listitem", { name: "Talview endpoint count links", exact: true });
  for (const status of ["processed", "ignored", "duplicate", "failed", "rejected"]) {
    await expect(row.getByRole("link", { name: new RegExp(`^\\d+ ${status} \\(last 24 h\\)`) })).toHaveAttribute("href", `/deliveries?status=${status}&endpointId=${created.id}`);
  }
  await row.getByRole("link", { name: /^1 rejected/ }).click();
  await expect(page).toHaveURL(/\/deliveries\?.*status=rejected/);
  expect(new URL(page.url()).searchParams.get("endpointId")).toBe(created.id);
  await expect(page.getByRole("list", { name: "Refused requests" }).getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("list", { name: "Refused requests" })).toContainText("unsupported_content_type");
});

test("404, 410 and 413 refusals are in the refused log: an unknown URL as an unknown endpoint, with advice per cause", async ({ page, request }) => {
  const unknown = await request.post("/api/webhooks/ep_e2eunknownurl0000000000", { headers: { "content-type": "application/json" }, data: "{}" });
  expect(unknown.status()).toBe(404);
  const created = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: "refused before reading" } })).json();
  const endpointPath = new URL(created.url).pathname;
  const big = await request.post(`${endpointPath}?event=can.candidate.created`, { headers: { "content-type": "application/json" }, data: Buffer.alloc(1024 * 1024 + 1, 0x20) });
  expect(big.status()).toBe(413);
  await request.patch(`/api/endpoints/${created.id}`, { headers: auth, data: { enabled: false } });
  expect((await sendTalview(request, endpointPath)).status()).toBe(410);

  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await logIn(page, "/deliveries?status=rejected");
    const all = page.getByRole("list", { name: "Refused requests" });
    const notFound = all.getByRole("listitem").filter({ hasText: "ep_e2eun…" });
    await expect(notFound).toContainText("404");
    await expect(notFound).toContainText("unknown endpoint");
    await expect(notFound).toContainText("copy the webhook URL again");
    await expect(notFound).not.toContainText("ep_e2eunknownurl0000000000");
    await expectNoSidewaysScroll(page, `refused log at ${size.name}`);
    await expectNoSeriousAxeViolations(page, "refused log");

    await page.goto(`/deliveries?status=rejected&endpointId=${created.id}`);
    const mine = page.getByRole("list", { name: "Refused requests" }).getByRole("listitem");
    await expect(mine).toHaveCount(2);
    await expect(mine.nth(0)).toContainText("endpoint_disabled");
    await expect(mine.nth(0)).toContainText("enable it in Settings");
    await expect(mine.nth(1)).toContainText("payload_too_large");
    await expect(mine.nth(1)).toContainText("1,048,577 bytes");
    await expect(page.getByText("ep_e2eun…")).toHaveCount(0);
    await page.context().clearCookies();
  }
});

test("a stage move read from a snapshot carries a 'derived' mark with its explanation, in the full and the compact timeline", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "derived mark e2e" } })).json();
  const candidateId = `drv${Date.now()}`;
  for (const [stage, event, at] of [["Applicants", "candidate.create", "2026-03-02T09:00:00+00:00"], ["Interview", "candidate.update", "2026-03-03T09:00:00+00:00"]]) {
    const body = structuredClone(idibuCreate);
    body.payload.id = candidateId;
    body.payload.lastname = `Derived ${candidateId}`;
    body.payload.vacancies[0].status.label = stage;
    body["payload-information"].timestamp = at;
    body["payload-information"].webhook_event = event;
    const res = await request.post(`/api/webhooks/${endpoint.id}`, { headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" }, data: Buffer.from(JSON.stringify(body)) });
    expect(res.status()).toBe(200);
  }
  let candidate = "";
  await expect
    .poll(async () => {
      const list = await (await request.get(`/api/candidates?provider=idibu&q=${candidateId}`, { headers: auth })).json();
      candidate = list.candidates.find((c: { eventCount: number }) => c.eventCount === 2)?.id ?? "";
      return candidate;
    }, { timeout: 60_000 })
    .not.toBe("");
  await logIn(page, `/candidates/${candidate}`);
  const moved = page.getByRole("article", { name: "stage_changed event" });
  await expect(moved).toHaveCount(1);
  const mark = moved.locator("[data-derived]");
  await expect(mark).toBeVisible();
  await expect(mark).toHaveAttribute("title", /read from a snapshot/);
  // The first event (an application) is the provider's own: no mark.
  await expect(page.locator("[data-derived]")).toHaveCount(1);

  await page.getByLabel("Compact").check();
  await expect(page.locator("article[data-compact]").locator("[data-derived]")).toHaveCount(1);
  await expect(page.locator("article[data-compact] [data-derived]")).toHaveAttribute("title", /read from a snapshot/);
  await expectNoSeriousAxeViolations(page, "timeline with a derived mark");
});
