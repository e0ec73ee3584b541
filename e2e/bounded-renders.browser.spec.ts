import { expect, test } from "@playwright/test";
import { auth, logIn } from "./helpers";
import { idibuManyVacancies, openDeliveryPanel, openWideCandidate, sendTalview, talviewCreated, talviewDeepBody, talviewWideUpdate } from "./hostile-renders";

/*
 * Small hostile payloads must not make the dashboard unusable. Sizes are asserted exactly; times
 * get a generous bound here (the machine is shared), and bench/bounded-renders.bench.ts prints them.
 */
const MAX_CANDIDATE_HTML_BYTES = 2 * 1024 * 1024;
const GENEROUS_USABLE_MS = 10_000;

async function createTalviewEndpoint(request: import("@playwright/test").APIRequestContext, provider = "talview") {
  const response = await request.post("/api/endpoints", { headers: auth, data: { provider, name: `bounded renders ${Date.now()}` } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string };
}

test("an ~880 KB Talview update changing 60,000 keys gives a small candidate page that stays usable, with every change a page away", async ({ page, request, baseURL }) => {
  const endpoint = await createTalviewEndpoint(request);
  const id = 900_000 + (Date.now() % 100_000);
  const update = talviewWideUpdate(id);
  expect(update.length).toBeGreaterThan(800_000);
  expect(update.length).toBeLessThan(1024 * 1024);
  expect((await sendTalview(baseURL!, endpoint.id, "can.candidate.created", talviewCreated(id))).httpStatus).toBe(200);
  const sent = await sendTalview(baseURL!, endpoint.id, "can.candidate.updated", update);
  expect([200, 202]).toContain(sent.httpStatus);

  let candidateId = "";
  await expect
    .poll(async () => {
      const list = await (await request.get(`/api/candidates?provider=talview&q=${id}`, { headers: auth })).json();
      const found = list.candidates.find((c: { externalId: string; eventCount: number }) => c.externalId === String(id) && c.eventCount === 2);
      candidateId = found?.id ?? "";
      return candidateId;
    }, { timeout: 60_000 })
    .not.toBe("");

  // The page's HTML (server-rendered rows plus the embedded first timeline page).
  const html = await request.get(`/candidates/${candidateId}`, { headers: auth });
  expect(html.status()).toBe(200);
  const htmlBytes = (await html.body()).length;
  expect(htmlBytes).toBeLessThan(MAX_CANDIDATE_HTML_BYTES);

  await logIn(page, "/");
  const { usableMs } = await openWideCandidate(page, candidateId);
  expect(usableMs).toBeLessThan(GENEROUS_USABLE_MS);
  test.info().annotations.push({ type: "figures", description: `candidate page ${htmlBytes} bytes of HTML, usable in ${usableMs} ms` });

  const newest = page.getByRole("article", { name: /event$/ }).first();
  // Rows of the changes table, its header row included.
  const changeRows = newest.getByRole("table", { name: /^Field changes/ }).getByRole("row");
  await expect(newest).toContainText(/Showing the first 100 of 60,0\d\d changes\./);
  await expect(changeRows).toHaveCount(101);
  await expect(changeRows.nth(1)).toContainText("cf.f00000");

  // Every change, 500 rows at a time, fetched on demand.
  await newest.getByRole("button", { name: /^Show all 60,0\d\d changes$/ }).click();
  const pager = newest.getByRole("navigation", { name: "Pages of changes" });
  await expect(pager).toContainText(/Changes 1–500 of 60,0\d\d/);
  await expect(changeRows).toHaveCount(501);
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText(/Changes 501–1,000 of 60,0\d\d/);
  await expect(changeRows.filter({ hasText: "cf.f00500" })).toHaveCount(1);
  await pager.getByRole("button", { name: "Show fewer" }).click();
  await expect(changeRows).toHaveCount(101);

  // Its raw delivery is over 256 KiB: shown cut, with the exact bytes a download away.
  await newest.getByRole("button", { name: "Raw delivery" }).click();
  await expect(newest.getByRole("note")).toContainText(`Showing the first 256 KiB of ${update.length.toLocaleString("en-GB")} bytes`);
  const downloading = page.waitForEvent("download");
  await newest.getByRole("link", { name: "Download the exact bytes" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`delivery-${sent.deliveryId}.json`);
  const { readFile } = await import("node:fs/promises");
  expect((await readFile(await download.path())).equals(update)).toBe(true);
});

test("a body nested 5,000 levels renders its delivery panel at once, deep levels collapsed", async ({ page, request, baseURL }) => {
  const endpoint = await createTalviewEndpoint(request);
  const body = talviewDeepBody(800_000 + (Date.now() % 100_000));
  expect(body.length).toBeGreaterThan(80_000);
  const sent = await sendTalview(baseURL!, endpoint.id, "can.candidate.created", body);
  expect([200, 202]).toContain(sent.httpStatus);

  await logIn(page, "/");
  const { panelMs } = await openDeliveryPanel(page, endpoint.id, sent.deliveryId, /… 49\d\d levels deeper/);
  expect(panelMs).toBeLessThan(GENEROUS_USABLE_MS);
  test.info().annotations.push({ type: "figures", description: `delivery panel for a ${body.length}-byte body nested 5,000 levels rendered in ${panelMs} ms` });

  const panel = page.getByRole("region", { name: "Body" });
  await expect(panel.getByRole("note")).toContainText("Nesting deeper than 32 levels is collapsed");
  const shown = await panel.locator("pre").textContent();
  expect(shown!.length).toBeLessThan(10_000);
  await expect(panel.getByRole("button", { name: "Copy raw" })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Copy pretty" })).toHaveCount(0);
});

test("an idibu candidate in 6,000 vacancies gives a small candidate page that lists its latest jobs and says how many more moved", async ({ page, request }) => {
  const endpoint = await createTalviewEndpoint(request, "idibu");
  const id = `jobs${Date.now()}`;
  for (const [label, at] of [
    ["Applicants", "2026-01-05T09:00:00+00:00"],
    ["Shortlisted", "2026-01-07T09:00:00+00:00"],
  ]) {
    const response = await request.post(`/api/webhooks/${endpoint.id}`, {
      headers: { "content-type": "application/json", "x-idibu-delivery": crypto.randomUUID() },
      data: idibuManyVacancies(id, 6_000, label, at),
    });
    expect([200, 202]).toContain(response.status());
  }
  let candidateId = "";
  await expect
    .poll(async () => {
      const list = await (await request.get(`/api/candidates?provider=idibu&q=${id}`, { headers: auth })).json();
      candidateId = list.candidates.find((c: { eventCount: number }) => c.eventCount === 2)?.id ?? "";
      return candidateId;
    }, { timeout: 60_000 })
    .not.toBe("");

  const html = await request.get(`/candidates/${candidateId}`, { headers: auth });
  expect((await html.body()).length).toBeLessThan(MAX_CANDIDATE_HTML_BYTES);

  await logIn(page, `/candidates/${candidateId}`);
  const newest = page.getByRole("article", { name: /event$/ }).first();
  await expect(newest).toContainText("and 5,980 more jobs");
  await expect(newest).toContainText(/Showing the first 100 of 6,0\d\d changes\./);
});
