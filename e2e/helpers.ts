import { expect, type Page } from "@playwright/test";
import { e2eAdminToken } from "../playwright.config";

export const auth = { authorization: `Bearer ${e2eAdminToken}` };

/** Logs in through the real login form, as a person would. */
export async function logIn(page: Page, next = "/") {
  await page.goto(next);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Admin token").fill(e2eAdminToken);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function screenshot(page: Page, name: string, outputPath: (name: string) => string) {
  await page.screenshot({ path: outputPath(`${name}.png`), fullPage: true });
}
