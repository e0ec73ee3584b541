import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { auth, logIn } from "./helpers";

const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

/** One idibu snapshot: the candidate in one vacancy, at a status label. */
function idibuSnapshot(id: string, name: string, vacancy: string, label: string, timestamp: string, event: "candidate.create" | "candidate.update") {
  const body = structuredClone(idibuCreate);
  body.payload.id = id;
  body.payload.firstname = name;
  body.payload.lastname = "Status";
  body.payload.email = `${id}@example.com`;
  body.payload.vacancies[0].title = vacancy;
  body.payload.vacancies[0].status.label = label;
  body["payload-information"].timestamp = timestamp;
  body["payload-information"].webhook_event = event;
  return body;
}

async function send(request: APIRequestContext, endpointId: string, body: unknown) {
  const response = await request.post(`/api/webhooks/${endpointId}`, {
    headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" },
    data: Buffer.from(JSON.stringify(body)),
  });
  expect(response.status()).toBe(200);
}

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const rowOf = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name }) });

test("status pills, the status filter, forgiving stage and job filters, and every way back keeps the filters", async ({ page, request }, testInfo) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu status e2e" } })).json();
  const run = `s${Date.now()}`;
  const people = [
    { id: `${run}a`, name: `Hana ${run}`, vacancy: "Recruitment Consultant", path: ["Applicants", "Interview", "Placed"] },
    { id: `${run}b`, name: `Rui ${run}`, vacancy: "Recruitment Consultant", path: ["Applicants", "Rejected"] },
    { id: `${run}c`, name: `Ines ${run}`, vacancy: "Recruitment Consultant", path: ["Applicants", "Interview"] },
    { id: `${run}d`, name: `Tao ${run}`, vacancy: "Senior Product Designer", path: ["Applicants", "interview"] },
  ];
  for (const p of people) {
    for (const [i, label] of p.path.entries()) {
      await send(request, endpoint.id, idibuSnapshot(p.id, p.name, p.vacancy, label, `2026-02-0${i + 1}T09:00:00+00:00`, i === 0 ? "candidate.create" : "candidate.update"));
    }
  }
  const [hana, rui, ines, tao] = people.map((p) => `${p.name} Status`);

  await logIn(page, `/candidates?q=${run}`);
  await expect(page.getByRole("row")).toHaveCount(5);
  // The rows come in the server's HTML: interact once the page is live (the export count is fetched by the browser).
  await expect(page.getByTestId("export-summary")).toHaveText("9 rows of 4 candidates");
  await expect(rowOf(page, hana).locator("[data-status]")).toHaveText("Hired");
  await expect(rowOf(page, rui).locator("[data-status]")).toHaveText("Rejected");
  await expect(rowOf(page, ines).locator("[data-status]")).toHaveText("Active");
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath("candidates-status.png"), fullPage: true });

  // Stage suggestions: "Interview" and "interview" are one (the filter matches any case).
  const stageSuggestions = await page.locator("datalist option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(stageSuggestions.filter((s) => s.toLowerCase() === "interview")).toHaveLength(1);

  await page.getByLabel("Status").selectOption("hired");
  await expect(page).toHaveURL(/status=hired/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await rowOf(page, hana).getByRole("link", { name: hana }).click();

  // The header says hired, and the stage clock stopped at the hire.
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
  await expect(header.locator("[data-status]").first()).toHaveText("Hired");
  const stages = page.getByRole("article", { name: "Stages for Recruitment Consultant" });
  await expect(stages).toContainText("the clock stopped there");
  await expect(stages).not.toContainText("so far");
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath("candidate-hired.png"), fullPage: true });

  // "← Candidates" goes back to the filtered list.
  await page.getByRole("link", { name: "← Candidates" }).click();
  await expect(page).toHaveURL(new RegExp(`/candidates\\?.*status=hired`));
  await expect(page).toHaveURL(new RegExp(`q=${run}`));
  await expect(page.getByLabel("Status")).toHaveValue("hired");
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByTestId("export-summary")).toHaveText("3 rows of 1 candidate");

  // Stage by part of the name, in any case; job likewise.
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Current stage").fill("INTERV");
  await expect(page).toHaveURL(/stage=INTERV/);
  await expect(page.getByRole("row")).toHaveCount(3);
  await expect(rowOf(page, ines)).toBeVisible();
  await expect(rowOf(page, tao)).toBeVisible();
  await page.getByLabel("Job").fill("design");
  await expect(page).toHaveURL(/job=design/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(rowOf(page, tao)).toBeVisible();

  // The main navigation's "Candidates" also comes back to these filters.
  await rowOf(page, tao).getByRole("link", { name: tao }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(tao);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Candidates" }).click();
  await expect(page).toHaveURL(/stage=INTERV/);
  await expect(page).toHaveURL(/job=design/);
  await expect(page.getByLabel("Current stage")).toHaveValue("INTERV");
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByTestId("export-summary")).toHaveText("2 rows of 1 candidate");
});

test("the first page of the candidates list is in the first HTML, for the URL's filters", async ({ request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu ssr e2e" } })).json();
  const run = `ssr${Date.now()}`;
  await send(request, endpoint.id, idibuSnapshot(`${run}a`, `Ana ${run}`, "Recruitment Consultant", "Placed", "2026-02-01T09:00:00+00:00", "candidate.create"));
  await send(request, endpoint.id, idibuSnapshot(`${run}b`, `Bo ${run}`, "Recruitment Consultant", "Applicants", "2026-02-01T09:00:00+00:00", "candidate.create"));

  const html = await (await request.get(`/candidates?q=${run}&status=hired`, { headers: auth })).text();
  expect(html).toContain(`Ana ${run} Status`);
  expect(html).not.toContain(`Bo ${run} Status`);
  expect(html).toContain('data-status="hired"');
});
