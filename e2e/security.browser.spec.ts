import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

/** CSP violations the page reports, collected from the browser's own events and console. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) seen.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  return seen;
}

test("every page works under its nonce CSP: nothing is blocked, navigation and data load", async ({ page }) => {
  const violations = await watchViolations(page);
  await logIn(page, "/");
  for (const [link, heading] of [
    ["Candidates", "Candidates"],
    ["Deliveries", "Deliveries"],
    ["Settings", "Settings"],
    ["Overview", /./],
  ] as const) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1 }).filter({ hasText: heading }).first()).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("the logged-in Settings page does not load in a frame, even on the same site", async ({ page, baseURL }) => {
  await logIn(page, "/settings");
  // A page of our own origin (served by Playwright, not the app) that tries to frame Settings.
  await page.route(`${baseURL}/framing-probe`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><title>probe</title><iframe src="/settings" width="800" height="600"></iframe>` }),
  );
  await page.goto("/framing-probe");
  // Chromium replaces a frame it refuses to display with its error page.
  await expect.poll(() => page.frames().find((f) => f !== page.mainFrame())?.url()).toBe("chrome-error://chromewebdata/");
  await expect(page.frameLocator("iframe").getByRole("heading", { name: "Settings" })).toHaveCount(0);
});

test("Sign out everywhere ends the sessions of every browser at once", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  try {
    await logIn(otherPage, "/settings");
    await expect(otherPage.getByRole("heading", { name: "Settings" })).toBeVisible();
    await logIn(page, "/settings");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await otherPage.goto("/settings");
    await expect(otherPage).toHaveURL(/\/login\?next=%2Fsettings/);
  } finally {
    await other.close();
  }
});
