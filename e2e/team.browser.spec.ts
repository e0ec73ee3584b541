import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

test("the owner invites a viewer, who sets a password, signs in with it and browses without Settings", async ({ page, browser }, testInfo) => {
  await logIn(page, "/team");
  await expect(page.getByRole("heading", { name: "Team" })).toBeVisible();
  const invite = page.getByRole("form", { name: "Invite a team member" });
  await invite.getByLabel("Email").fill("viewer.e2e@example.test");
  await invite.getByLabel("Name").fill("Vera Viewer");
  await invite.getByLabel("Role").selectOption("viewer");
  await invite.getByRole("button", { name: "Invite" }).click();
  const inviteUrl = (await page.getByTestId("invite-url").textContent())!;
  expect(inviteUrl).toMatch(/\/invite\?token=inv_/);
  await expect(page.getByRole("row", { name: /Vera Viewer/ })).toContainText("invited");

  // The invitee, in a browser of their own.
  const context = await browser.newContext();
  const viewer = await context.newPage();
  await viewer.goto(new URL(inviteUrl).pathname + new URL(inviteUrl).search);
  await viewer.getByLabel("New password").fill("password1234");
  await viewer.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(viewer.getByRole("alert").filter({ hasText: "common breached passwords" })).toBeVisible();
  await viewer.getByLabel("New password").fill("quiet-orchard-41-kites");
  await viewer.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(viewer).not.toHaveURL(/\/invite/);

  // Signed out, then in again with email and password.
  await viewer.getByRole("button", { name: "Log out" }).click();
  // At the login page either way: the sign-out's own redirect, or (when a request of the page still
  // in flight comes back 401 first) the page's redirect to it with `next=` the page it was on.
  await expect(viewer).toHaveURL(/\/login(\?next=[^&]*)?$/);
  await viewer.goto("/candidates");
  await viewer.getByLabel("Email").fill("viewer.e2e@example.test");
  await viewer.getByLabel("Password").fill("quiet-orchard-41-kites");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer).toHaveURL(/\/candidates$/);
  const nav = viewer.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Candidates" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Deliveries" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Team" })).toHaveCount(0);
  await expect(viewer.getByText("viewer.e2e@example.test · viewer")).toBeVisible();
  await viewer.screenshot({ path: testInfo.outputPath("viewer-candidates.png"), fullPage: true });

  // The server refuses what the UI hides: the Settings page and the write API.
  const settings = await viewer.goto("/settings");
  expect(settings?.status()).toBe(403);
  const create = await viewer.request.post("/api/endpoints", { data: { provider: "greenhouse", name: "nope" }, headers: { origin: new URL(page.url()).origin } });
  expect(create.status()).toBe(403);
  expect(await create.json()).toMatchObject({ error: "forbidden", permission: "write" });

  // The owner sees the sign-in on the Team page.
  await page.reload();
  await expect(page.getByRole("row", { name: /Vera Viewer/ })).not.toContainText("invited");
  await context.close();
});
