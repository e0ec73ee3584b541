import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
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

/** The two sizes every screen is checked at: a laptop and a phone. */
export const sizes = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** Axe on the page as it is: no serious or critical violation (`where` names the screen in the failure). */
export async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${where}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** The page is no wider than the screen (nothing scrolls sideways). */
export async function expectNoSidewaysScroll(page: Page, where: string) {
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.content, `${where} is ${widths.content} px wide on a ${widths.viewport} px screen`).toBeLessThanOrEqual(widths.viewport);
}

/** An idibu delivery (unsigned: the URL is the credential) through the real webhook route, answered 200. */
export async function sendIdibu(request: APIRequestContext, endpointId: string, body: unknown) {
  const response = await request.post(`/api/webhooks/${endpointId}`, {
    headers: { "x-idibu-delivery": crypto.randomUUID(), "content-type": "application/json" },
    data: Buffer.from(JSON.stringify(body)),
  });
  expect(response.status()).toBe(200);
}
