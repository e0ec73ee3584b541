import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

test("a page without a session redirects to /login; a wrong token is refused; the right one opens the page asked for", async ({ page }) => {
  await page.goto("/candidates?provider=talview");
  await expect(page).toHaveURL(/\/login\?next=%2Fcandidates%3Fprovider%3Dtalview/);
  await page.getByLabel("Admin token").fill("not-the-token-000000");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("That is not the admin token.")).toBeVisible();
  await logIn(page, "/candidates?provider=talview");
  await expect(page).toHaveURL(/\/candidates\?provider=talview/);
});

test("the API refuses a browser without a session with 401 JSON", async ({ page }) => {
  const response = await page.goto("/api/candidates");
  expect(response?.status()).toBe(401);
  expect(await response?.json()).toMatchObject({ error: "unauthorized" });
});

test("logging out ends the session and sends the browser to /login", async ({ page }) => {
  await logIn(page, "/settings");
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
});
