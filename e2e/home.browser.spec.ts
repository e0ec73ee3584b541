import { expect, test } from "@playwright/test";

test("the start page shows the database status and every provider", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Candidate History" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("embedded PGlite: connected");
  for (const name of ["Greenhouse", "Talview", "idibu", "Outhire"]) {
    await expect(page.getByRole("listitem").filter({ hasText: name }).first()).toBeVisible();
  }
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
});

test("the API refuses a browser without the admin token", async ({ page }) => {
  const response = await page.goto("/api/candidates");
  expect(response?.status()).toBe(401);
  expect(await response?.json()).toMatchObject({ error: "unauthorized" });
});
