import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { auth, logIn } from "./helpers";

test("a test delivery is marked Test, kept out of the list unless asked for, and Delete test data removes it", async ({ page, request }, testInfo) => {
  const name = `test data e2e ${Date.now()}`;
  await request.post("/api/endpoints", { headers: auth, data: { provider: "outhire", name } });

  await logIn(page, "/settings");
  const row = page.getByRole("listitem", { name: `Outhire endpoint ${name}`, exact: true });
  await row.getByRole("button", { name: "Send test delivery" }).click();
  const result = row.getByTestId("test-delivery-result");
  await expect(result).toContainText("processed");
  await result.getByRole("link", { name: "Open the candidate" }).click();

  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading.getByText("Test", { exact: true })).toBeVisible();
  const candidateUrl = page.url();
  const externalId = (await page.locator("dt", { hasText: "External ID" }).locator("xpath=following-sibling::dd[1]//code").textContent())!;

  // Not in the list, unless test data is asked for.
  await page.goto(`/candidates?q=${encodeURIComponent(externalId)}`);
  await expect(page.getByText("No candidates match these filters")).toBeVisible();
  // The list is rendered on the server: interact once the page is live (its export count is fetched by the browser).
  await expect(page.getByTestId("export-summary")).toHaveText("0 rows of 0 candidates");
  // The box follows the URL, which changes once the router has navigated.
  await page.getByLabel("Test data").click();
  await expect(page).toHaveURL(/includeTest=1/);
  await expect(page.getByLabel("Test data")).toBeChecked();
  const listed = page.getByRole("row").filter({ hasText: externalId });
  await expect(listed).toContainText("Test");
  await page.screenshot({ path: testInfo.outputPath("test-candidate.png"), fullPage: true });

  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Test data" });
  await section.getByRole("button", { name: "Delete test data" }).click();
  await section.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(section.getByRole("status")).toContainText(/Deleted \d+ candidates?, \d+ events? and \d+ deliver(y|ies)\./);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.goto(candidateUrl);
  await expect(page.getByText("Candidate not found")).toBeVisible();
});
