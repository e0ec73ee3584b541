import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { auth, logIn } from "./helpers";

const idibuCreate = JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers/idibu/fixtures/candidate-create.json"), "utf8"));

test("the export button says what it will export, and For Excel adds the UTF-8 byte-order mark", async ({ page, request }) => {
  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "idibu", name: "idibu export summary e2e" } })).json();
  const run = `sum${Date.now()}`;
  for (const [i, who] of ["a", "b"].entries()) {
    for (const [k, label] of ["Applicants", "Shortlisted", "Interview"].entries()) {
      const body = structuredClone(idibuCreate);
      body.payload.id = `${run}${who}`;
      body.payload.firstname = `Zoë ${who}`;
      body.payload.lastname = run;
      body.payload.vacancies[0].status.label = label;
      body["payload-information"] = { timestamp: `2026-06-0${1 + k}T0${i}:00:00+00:00`, webhook_event: k === 0 ? "candidate.create" : "candidate.update" };
      const response = await request.post(`/api/webhooks/${endpoint.id}`, {
        headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" },
        data: Buffer.from(JSON.stringify(body)),
      });
      expect(response.status()).toBe(200);
    }
  }

  await logIn(page, `/candidates?q=${run}`);
  await expect(page.getByTestId("export-summary")).toHaveText("6 rows of 2 candidates");
  await page.getByLabel("Current stage").fill("interview");
  await expect(page.getByTestId("export-summary")).toHaveText("6 rows of 2 candidates");
  await page.getByLabel("Current stage").fill("shortlisted");
  await expect(page.getByTestId("export-summary")).toHaveText("0 rows of 0 candidates");
  await page.getByLabel("Current stage").fill("");
  await expect(page.getByTestId("export-summary")).toHaveText("6 rows of 2 candidates");

  await page.getByLabel("For Excel").check();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: /^Export events/ }).click();
  const bytes = readFileSync((await (await downloadPromise).path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString("utf8")).toContain("Zoë a");
  await expect(page.getByRole("status").filter({ hasText: "Exported 6 rows" })).toBeVisible();
});
