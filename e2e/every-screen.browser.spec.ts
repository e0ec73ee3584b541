import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { auth, logIn, expectNoSeriousAxeViolations, expectNoSidewaysScroll, sizes, sendIdibu } from "./helpers";

// Issue 15, "a dashboard for every screen": every page at a desktop and a phone size, with axe.
const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

/** An idibu snapshot whose second version changes a deeply nested field, so the diff has a long path. */
function snapshot(candidateId: string, stage: string, timestamp: string) {
  const body = structuredClone(idibuCreate);
  body.payload.id = candidateId;
  body.payload.firstname = "Robin";
  body.payload.lastname = `Screens ${candidateId}`;
  body.payload.vacancies[0].status.label = stage;
  body.payload.vacancies[0].application_questionnaire = { answers: { preferred_location: { region_name: stage } } };
  body["payload-information"].timestamp = timestamp;
  body["payload-information"].webhook_event = stage === "Applicants" ? "candidate.create" : "candidate.update";
  return body;
}

/** Deliveries are processed after they are acknowledged: the candidate's page once all its events are in. */
async function candidatePage(request: APIRequestContext, externalId: string, events: number): Promise<string> {
  let found = "";
  await expect
    .poll(async () => {
      const list = await (await request.get(`/api/candidates?provider=idibu&q=${externalId}`, { headers: auth })).json();
      found = list.candidates.find((c: { eventCount: number }) => c.eventCount === events)?.id ?? "";
      return found;
    }, { timeout: 60_000 })
    .not.toBe("");
  return `/candidates/${found}`;
}

let candidatePath = "";
let screensEndpoint = "";

test.beforeAll(async ({ request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "every screen e2e" } })).json();
  screensEndpoint = endpoint.id;
  const candidateId = `scr${Date.now()}`;
  await sendIdibu(request, endpoint.id, snapshot(candidateId, "Applicants", "2026-02-02T09:00:00+00:00"));
  await sendIdibu(request, endpoint.id, snapshot(candidateId, "Shortlisted", "2026-02-03T09:00:00+00:00"));
  candidatePath = await candidatePage(request, candidateId, 2);
});

for (const size of sizes) {
  test(`${size.name} ${size.width}×${size.height}: no page scrolls sideways and axe finds no serious violation`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await logIn(page, "/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const pages: { path: string; ready: () => Promise<void> }[] = [
      { path: "/", ready: () => expect(page.getByRole("heading", { name: "Recent events" })).toBeVisible() },
      { path: "/candidates", ready: () => expect(page.getByRole("link", { name: /Robin Screens/ })).toBeVisible() },
      { path: candidatePath, ready: () => expect(page.getByRole("article", { name: /event$/ }).first()).toBeVisible() },
      { path: "/deliveries", ready: () => expect(page.getByRole("button", { name: /^Show delivery/ }).first()).toBeVisible() },
      { path: "/settings", ready: () => expect(page.getByText("every screen e2e").first()).toBeVisible() },
    ];
    for (const { path: where, ready } of pages) {
      await page.goto(where);
      await ready();
      await expectNoSidewaysScroll(page, where);
      await expectNoSeriousAxeViolations(page, where);
      await page.screenshot({ path: testInfo.outputPath(`${size.name}${where.replaceAll("/", "-") || "-overview"}.png`), fullPage: true });
    }

    // The panels: a delivery's headers and body, and a raw delivery under a timeline event.
    await page.goto("/deliveries");
    await page.getByRole("button", { name: /^Show delivery/ }).first().click();
    await expect(page.getByRole("region", { name: "Delivery body" })).toBeVisible();
    await expectNoSidewaysScroll(page, "/deliveries panel");
    await expectNoSeriousAxeViolations(page, "/deliveries panel");

    await page.goto(candidatePath);
    await page.getByRole("button", { name: /Raw delivery/ }).first().click();
    await expect(page.getByRole("region", { name: "Raw body" })).toBeVisible();
    await expectNoSidewaysScroll(page, "raw delivery");
    await expectNoSeriousAxeViolations(page, "raw delivery");
  });
}

test("phone: the navigation folds behind Menu with Settings and Log out reachable", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/");
  const settings = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" });
  await expect(settings).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
  await expect(settings).toBeInViewport();
  // Escape folds it again, focus back on Menu.
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(settings).toBeHidden();
  await menu.click();
  await settings.click();
  await expect(page).toHaveURL(/\/settings$/);
  // Navigating closes the menu again.
  await expect(menu).toHaveAttribute("aria-expanded", "false");
});

test("desktop: the navigation shows every link and Log out on one line, without a Menu button", async ({ page }) => {
  await logIn(page, "/");
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toBeInViewport();
    await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
    // One line each: the brand and "Sign out everywhere" once wrapped to two lines at 1440 px.
    for (const item of [page.getByRole("link", { name: "Candidate History" }), page.getByRole("button", { name: "Sign out everywhere" })]) {
      const box = await item.boundingBox();
      expect(box!.height, `${await item.textContent()} at ${width} px`).toBeLessThanOrEqual(36);
    }
    await expectNoSidewaysScroll(page, `the header at ${width} px`);
  }
});

test("tablet and small laptop: the navigation folds behind Menu rather than running off the screen", async ({ page }) => {
  await logIn(page, "/");
  for (const width of [768, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await expectNoSidewaysScroll(page, `the header at ${width} px`);
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toBeVisible();
    await menu.click();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" })).toBeInViewport();
    await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
  }
});

test("phone: tables become stacked rows and diff paths wrap only at their separators", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, candidatePath);
  const row = page.getByRole("row").filter({ hasText: "preferred_location" });
  await expect(row).toBeVisible();
  const pathCell = row.getByRole("rowheader");
  const before = row.getByRole("cell").first();
  // Stacked: Before sits under the path, not beside it.
  const [pathBox, beforeBox] = [await pathCell.boundingBox(), await before.boundingBox()];
  expect(beforeBox!.y).toBeGreaterThanOrEqual(pathBox!.y + pathBox!.height - 1);
  // Each segment of the path (a text node between <wbr>s) stays on one line: the path breaks at `.`, `[`, `]`.
  const split = await pathCell.locator("code").evaluate((code) => {
    const lines = new Set<number>();
    const broken: string[] = [];
    for (const node of code.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(node.textContent ?? "");
      for (const t of tops) lines.add(t);
    }
    return { broken, lines: lines.size };
  });
  expect(split.broken).toEqual([]);
  expect(split.lines).toBeGreaterThan(1);

  await page.goto("/candidates");
  const candidate = page.getByRole("row").filter({ hasText: "Robin Screens" }).first();
  const cells = candidate.getByRole("cell");
  const [first, second] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
  expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height - 1);
});

test("dark mode follows the system, and axe finds no serious violation in it", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await logIn(page, candidatePath);
  await expect(page.getByRole("article", { name: /event$/ }).first()).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await page.evaluate((color) => {
    const probe = document.createElement("canvas").getContext("2d")!;
    probe.fillStyle = color;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  }, background);
  expect(light).toBeLessThan(0.2);
  await expectNoSeriousAxeViolations(page, "candidate page, dark");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Recent events" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "overview, dark");

  await page.emulateMedia({ colorScheme: "light" });
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(lightBackground).not.toBe(background);
});

test("keyboard: the skip link is the first stop and moves focus to the page's content", async ({ page }) => {
  await logIn(page, "/candidates");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("one date format: every time on the settings page reads as the <Time> component renders it", async ({ page }) => {
  await logIn(page, "/settings");
  await expect(page.getByText("every screen e2e").first()).toBeVisible();
  const times = page.locator("time");
  expect(await times.count()).toBeGreaterThan(0);
  for (const text of await times.allTextContents()) expect(text).toMatch(/^\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
});

test.describe("compact timeline and keyboard", () => {
  let quietPath = "";

  test.beforeAll(async ({ request }) => {
    // Three events: created, a stage move, then the same snapshot again (no visible change).
    const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "compact timeline e2e" } })).json();
    const candidateId = `cmp${Date.now()}`;
    await sendIdibu(request, endpoint.id, snapshot(candidateId, "Applicants", "2026-03-02T09:00:00+00:00"));
    await sendIdibu(request, endpoint.id, snapshot(candidateId, "Shortlisted", "2026-03-03T09:00:00+00:00"));
    await sendIdibu(request, endpoint.id, snapshot(candidateId, "Shortlisted", "2026-03-04T09:00:00+00:00"));
    quietPath = await candidatePage(request, candidateId, 3);
  });

  for (const size of sizes) {
    test(`${size.name}: an event with no visible change is one line that opens on click; Compact makes every event one line`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await logIn(page, quietPath);
      const events = page.getByRole("article", { name: /event$/ });
      await expect(events).toHaveCount(3);
      const quiet = events.first();
      const line = quiet.getByRole("button", { expanded: false });
      await expect(line).toContainText("No field changes");
      await expect(quiet.getByRole("button", { name: "Raw delivery" })).toHaveCount(0);
      // The stage move stays a full card.
      await expect(events.nth(1).getByRole("button", { name: "Raw delivery" })).toBeVisible();
      const lineBox = await quiet.boundingBox();
      const cardBox = await events.nth(1).boundingBox();
      expect(lineBox!.height).toBeLessThan(cardBox!.height / 2);
      await expectNoSidewaysScroll(page, `timeline at ${size.name}`);
      await expectNoSeriousAxeViolations(page, "timeline, default");

      await line.click();
      await expect(quiet.getByRole("button", { name: "Raw delivery" })).toBeVisible();
      await expect(quiet.getByRole("button", { name: "Collapse" })).toBeFocused();
      await quiet.getByRole("button", { name: "Collapse" }).click();
      await expect(quiet.getByRole("button", { name: "Raw delivery" })).toHaveCount(0);

      await page.getByLabel("Compact").check();
      await expect(page.getByRole("button", { name: "Raw delivery" })).toHaveCount(0);
      await expect(events.nth(1)).toContainText("Shortlisted");
      await expectNoSidewaysScroll(page, `timeline at ${size.name}`);
      await expectNoSeriousAxeViolations(page, "timeline, compact");
      await page.screenshot({ path: testInfo.outputPath(`compact-timeline-${size.name}.png`), fullPage: true });
    });
  }

  test("j and k move through the timeline; Enter opens a one-line event; the raw body takes keyboard focus", async ({ page }) => {
    await logIn(page, quietPath);
    const events = page.getByRole("article", { name: /event$/ });
    await expect(events).toHaveCount(3);
    // The page is server-rendered: a key pressed before hydration has no handler yet, so press until it is taken.
    await expect(async () => {
      await page.keyboard.press("j");
      await expect(events.first().getByRole("button", { expanded: false })).toBeFocused({ timeout: 1_000 });
    }).toPass();
    await page.keyboard.press("j");
    await expect(events.nth(1)).toBeFocused();
    await page.keyboard.press("j");
    await expect(events.nth(2)).toBeFocused();
    await page.keyboard.press("k");
    await expect(events.nth(1)).toBeFocused();
    await page.keyboard.press("k");
    await page.keyboard.press("Enter");
    await expect(events.first().getByRole("button", { name: "Collapse" })).toBeFocused();

    // Typing j in a field is typing, not navigation.
    await page.getByLabel("Compact").focus();
    await page.keyboard.press("j");
    await expect(page.getByLabel("Compact")).toBeFocused();

    await events.nth(1).getByRole("button", { name: "Raw delivery" }).click();
    const raw = events.nth(1).getByRole("region", { name: "Raw body" });
    await expect(raw).toBeVisible();
    for (let i = 0; i < 10 && !(await raw.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(raw).toBeFocused();
  });

  test("/ focuses the search box, or goes to the candidates list from a page without one", async ({ page }) => {
    await logIn(page, "/candidates");
    const search = page.getByRole("searchbox", { name: "Search" });
    await expect(search).toBeVisible();
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("/");
    await expect(search).toBeFocused();
    await expect(search).toHaveValue("");

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.keyboard.press("/");
    await expect(page).toHaveURL(/\/candidates$/);
    await expect(page.getByRole("searchbox", { name: "Search" })).toBeFocused();
  });

  test("Escape closes the delivery panel and returns focus to its row", async ({ page }) => {
    await logIn(page, "/deliveries");
    const row = page.getByRole("button", { name: /^Show delivery/ }).first();
    await row.click();
    await expect(page).toHaveURL(/selected=/);
    const panel = page.getByRole("complementary");
    await expect(panel).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(panel).toHaveCount(0);
    await expect(page).not.toHaveURL(/selected=/);
    await expect(row).toBeFocused();
  });
});

for (const size of sizes) {
  test(`${size.name}: a refused request is listed under Rejected with its reason, advice, headers and body; the overview links to it`, async ({ page, request }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: `refusals ${size.name}` } })).json();
    const marker = `xml-${size.name}-${Date.now()}`;
    const refused = await request.post(`/api/webhooks/${endpoint.id}?event=can.candidate.updated`, {
      headers: { "content-type": "application/xml", authorization: "Bearer should-not-show" },
      data: Buffer.from(`<candidate id="${marker}"/>`),
    });
    expect(refused.status()).toBe(415);

    await logIn(page, "/");
    const attention = page.getByRole("region", { name: "Endpoints needing attention" }).getByRole("listitem").filter({ hasText: `refusals ${size.name}` });
    await expect(attention).not.toContainText("Check the secret");
    await attention.getByRole("link", { name: "See the refused requests and what to do" }).click();
    await expect(page).toHaveURL(new RegExp(`status=rejected&endpointId=${endpoint.id}`));

    const item = page.getByRole("list", { name: "Refused requests" }).getByRole("listitem").first();
    await expect(item).toContainText("415");
    await expect(item).toContainText("unsupported_content_type");
    await expect(item).toContainText(/content type/i);
    await expect(item).not.toContainText(/secret/i);
    await item.getByText("Headers and body").click();
    await expect(item).toContainText("[redacted]");
    await expect(item).not.toContainText("should-not-show");
    await expect(item.getByRole("region", { name: /^Body of refused request/ })).toContainText(marker);
    await expectNoSidewaysScroll(page, "rejected list");
    await expectNoSeriousAxeViolations(page, "rejected list");
  });
}

test("deliveries page: search by delivery id, a day range, a CSV link and bulk reprocess with progress", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "talview", name: "bulk e2e" } })).json();
  for (let i = 0; i < 3; i++) {
    const broken = await request.post(`/api/webhooks/${endpoint.id}?event=can.candidate.updated`, {
      headers: { "content-type": "application/json" },
      data: Buffer.from(`{"id": ${i}, "first_name": "Trunc`),
    });
    expect(broken.status()).toBe(202);
  }
  await logIn(page, `/deliveries?status=failed&endpointId=${endpoint.id}`);
  await expect(page.getByRole("button", { name: /^Show delivery/ })).toHaveCount(3);
  await expect(page.getByRole("link", { name: "CSV of this status and endpoint" })).toHaveAttribute("href", `/api/deliveries/export.csv?status=failed&endpointId=${endpoint.id}`);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Reprocess these" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reprocessed" })).toHaveText("Reprocessed 3 / 3, 3 failed");
  const after = await (await request.get(`/api/deliveries?endpointId=${endpoint.id}`, { headers: auth })).json();
  expect(after.deliveries.map((d: { processCount: number }) => d.processCount)).toEqual([2, 2, 2]);

  // Search by a delivery id from an unfiltered log; then a day range that holds none of it.
  const robin = (await (await request.get(`/api/deliveries?endpointId=${endpoint.id}`, { headers: auth })).json()).deliveries[0].id;
  await page.goto("/deliveries");
  await page.getByRole("searchbox", { name: "Search" }).fill(robin);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${robin}`));
  await expect(page.getByRole("button", { name: /^Show delivery/ })).toHaveCount(1);
  await page.getByLabel("To (UTC)").fill("2020-01-01");
  await expect(page.getByText("No deliveries match these filters")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "deliveries, filtered");
});

for (const size of sizes) {
  test(`${size.name}: an endpoint's page shows its outcomes per day, last delivery, newest deliveries and links to its filtered log`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await logIn(page, "/settings");
    await page.locator(`a[href="/settings/endpoints/${screensEndpoint}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/settings/endpoints/${screensEndpoint}$`));
    await expect(page.getByRole("heading", { level: 1, name: "every screen e2e" })).toBeVisible();
    const outcomes = page.getByRole("region", { name: /^Outcomes/ });
    await expect(outcomes.getByRole("figure")).toContainText("Succeeded 2 (100 %)");
    await expect(outcomes.getByRole("table", { name: "Deliveries per day (UTC)" }).getByRole("row")).toHaveCount(15);
    await expect(outcomes.getByRole("link", { name: "rejected" })).toHaveAttribute("href", `/deliveries?status=rejected&endpointId=${screensEndpoint}`);
    await expect(page.getByRole("region", { name: "Newest deliveries" }).getByRole("button", { name: /^Show delivery/ })).toHaveCount(2);
    await expectNoSidewaysScroll(page, "endpoint page");
    await expectNoSeriousAxeViolations(page, "endpoint page");

    await page.getByRole("region", { name: "Newest deliveries" }).getByRole("button", { name: /^Show delivery/ }).first().click();
    await expect(page).toHaveURL(new RegExp(`/deliveries\\?endpointId=${screensEndpoint}&selected=dlv_`));
  });
}

test("disabling an endpoint asks first; declining keeps it enabled", async ({ page }) => {
  await logIn(page, `/settings/endpoints/${screensEndpoint}`);
  const toggle = page.getByRole("switch", { name: "Enabled" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("Disable");
    void dialog.dismiss();
  });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  page.once("dialog", (dialog) => void dialog.accept());
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
});

test("the Settings list is searchable by name, provider or id, case-insensitively and by part", async ({ page, request }) => {
  expect((await request.post("/api/endpoints", { headers: auth, data: { provider: "greenhouse", name: "search other e2e" } })).status()).toBe(201);
  await logIn(page, "/settings");
  await expect(page.locator(`a[href="/settings/endpoints/${screensEndpoint}"]`)).toBeVisible();
  const endpoints = page.getByRole("list").filter({ has: page.locator('a[href^="/settings/endpoints/"]') }).first().locator(":scope > li");
  const total = await endpoints.count();
  expect(total).toBeGreaterThan(1);
  const search = page.getByRole("searchbox", { name: "Search endpoints" });
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await search.fill(screensEndpoint.slice(3, 20));
  await expect(endpoints).toHaveCount(1);
  await expect(endpoints.first()).toContainText("every screen e2e");
  await expect(page.getByRole("status").filter({ hasText: "endpoints" })).toHaveText(`1 of ${total} endpoints`);
  await search.fill("GREENHOUSE");
  await expect(endpoints.filter({ hasText: "search other e2e" })).toHaveCount(1);
  await expect(endpoints.filter({ hasText: "every screen e2e" })).toHaveCount(0);
  await search.fill("EVERY SCREEN");
  await expect(endpoints.first()).toContainText("every screen e2e");
  for (const text of await endpoints.allTextContents()) expect(text.toLowerCase()).toContain("every screen");
  await expectNoSeriousAxeViolations(page, "settings, searched");
});
