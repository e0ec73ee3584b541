import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { auth, logIn, expectNoSeriousAxeViolations, expectNoSidewaysScroll, sendIdibu } from "./helpers";

// Issue 17, pipeline analytics: the page at a desktop and a phone size, in dark mode, with axe.
const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));
const JOB = `e2e-analytics-${Date.now()}`;

/** An idibu snapshot of a candidate in a stage of the test's own vacancy. */
function snapshot(candidateId: string, stage: string, timestamp: string) {
  const body = structuredClone(idibuCreate);
  body.payload.id = candidateId;
  body.payload.firstname = "Alex";
  body.payload.lastname = `Funnel ${candidateId}`;
  body.payload.email = `alex.${candidateId}@example.com`;
  body.payload.vacancies[0].id = JOB;
  body.payload.vacancies[0].title = "Analytics Engineer";
  body.payload.vacancies[0].status.label = stage;
  body["payload-information"].timestamp = timestamp;
  body["payload-information"].webhook_event = stage === "Applicants" ? "candidate.create" : "candidate.update";
  return body;
}

// Six candidates through Applicants → Shortlisted → Interview, two placed, two rejected, two still open.
const paths: string[][] = [
  ["Applicants", "Shortlisted", "Interview", "Placed"],
  ["Applicants", "Shortlisted", "Interview", "Placed"],
  ["Applicants", "Shortlisted", "Rejected"],
  ["Applicants", "Rejected"],
  ["Applicants", "Shortlisted", "Interview"],
  ["Applicants", "Shortlisted"],
];

test.beforeAll(async ({ request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu analytics e2e" } })).json();
  const run = Date.now() % 1_000_000;
  for (const [i, stages] of paths.entries()) {
    for (const [k, stage] of stages.entries()) {
      const day = String(3 + i + k * 3).padStart(2, "0");
      await sendIdibu(request, endpoint.id, snapshot(`an${run}c${i}`, stage, `2026-03-${day}T09:00:00+00:00`));
    }
  }
  // The analytics summaries follow the webhooks' answers (refreshed once ingest is quiet): wait
  // until nothing waits for the refresher (the operator's gauge) and every application is in.
  await expect
    .poll(
      async () => {
        const metrics = await (await request.get("/metrics", { headers: auth })).text();
        const waiting = /^derived_backlog_candidates\{kind="analytics"\} (\d+)$/m.exec(metrics)?.[1];
        const applications = (await (await request.get(`/api/analytics/funnel?jobId=${JOB}`, { headers: auth })).json()).totals?.applications;
        return `${waiting} waiting, ${applications} applications`;
      },
      { timeout: 60_000 },
    )
    .toBe(`0 waiting, ${paths.length} applications`);
});

test("the funnel, time in stage and flow of a job, with CSV downloads and numbers that open the candidate list", async ({ page, request }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/analytics");
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline analytics" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" })).toBeVisible();

  await expect(page.getByRole("combobox", { name: "Provider" }).locator('option[value="idibu"]')).toHaveCount(1);
  await page.getByRole("combobox", { name: "Provider" }).selectOption("idibu");
  await expect(page.getByRole("combobox", { name: "Job" }).locator(`option[value="idibu:${JOB}"]`)).toHaveCount(1);
  await page.getByRole("combobox", { name: "Job" }).selectOption(`idibu:${JOB}`);
  await expect(page).toHaveURL(new RegExp(`jobId=${JOB}`));
  expect(new URL(page.url()).searchParams.get("provider")).toBe("idibu");

  // Stages in the job's order, outcomes last, with how many reached each.
  const funnel = page.getByRole("region", { name: "Funnel" });
  const stages = funnel.getByRole("list", { name: "Stages in the job's order" }).getByRole("listitem");
  await expect(stages).toHaveCount(5);
  await expect(stages.nth(0)).toContainText("Applicants");
  await expect(stages.nth(1)).toContainText("Shortlisted");
  await expect(stages.nth(2)).toContainText("Interview");
  await expect(funnel).toContainText("6 applications");
  await expect(stages.nth(0)).toContainText("83.3% went on");
  await expect(stages.nth(2)).toContainText("2 hired from here");

  // The screen-reader table holds the same numbers.
  const table = funnel.getByRole("table");
  const shortlisted = table.getByRole("row").filter({ hasText: "Shortlisted" }).getByRole("cell");
  await expect(shortlisted.nth(0)).toHaveText("5");
  await expect(shortlisted.nth(1)).toHaveText("3 (60%)");

  await expect(page.getByRole("region", { name: "Time in stage" })).toContainText("Applicants");
  await expect(page.getByRole("region", { name: "Flow over time" }).getByRole("table")).toContainText("2026-03-02");
  await page.screenshot({ path: testInfo.outputPath("analytics-desktop.png"), fullPage: true });

  // Every chart's data as CSV.
  for (const name of ["funnel", "time in stage", "flow over time"]) {
    const href = await page.getByRole("link", { name: `CSV of ${name}` }).getAttribute("href");
    expect(href).toContain("format=csv");
    const csv = await request.get(href!, { headers: auth });
    expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
    expect((await csv.text()).split("\r\n").length).toBeGreaterThan(2);
  }

  await expectNoSeriousAxeViolations(page, "analytics, desktop");

  // A number opens the candidate list, filtered to the job and the stage.
  await stages.nth(1).getByRole("link", { name: /reached Shortlisted/ }).click();
  await expect(page).toHaveURL(/\/candidates\?/);
  expect(new URL(page.url()).searchParams.get("job")).toBe(JOB);
  expect(new URL(page.url()).searchParams.get("stage")).toBe("Shortlisted");
  await expect(page.getByRole("row").filter({ hasText: "Alex Funnel" })).toHaveCount(1);
});

test("at phone width without sideways scroll, and in dark mode, axe finds no serious violation", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, `/analytics?provider=idibu&jobId=${JOB}`);
  await expect(page.getByRole("region", { name: "Funnel" })).toContainText("6 applications");
  await expect(page.getByRole("region", { name: "Flow over time" })).toBeVisible();
  await expectNoSidewaysScroll(page, "analytics on a phone");
  await expectNoSeriousAxeViolations(page, "analytics, phone");
  await page.screenshot({ path: testInfo.outputPath("analytics-phone.png"), fullPage: true });

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.getByRole("region", { name: "Time in stage" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "analytics, phone, dark");
  await page.screenshot({ path: testInfo.outputPath("analytics-phone-dark.png"), fullPage: true });
});
