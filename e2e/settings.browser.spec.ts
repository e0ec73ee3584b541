import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { getProvider } from "../lib/providers/registry";
import { auth, logIn } from "./helpers";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const providers = [
  { id: "greenhouse", name: "Greenhouse" },
  { id: "talview", name: "Talview" },
  { id: "idibu", name: "idibu" },
  { id: "outhire", name: "Outhire" },
] as const;

test("create an endpoint per provider, copy its URL, send a test delivery and find it on the candidate's timeline", async ({ page, request }, testInfo) => {
  await logIn(page, "/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  for (const provider of providers) {
    await page.getByLabel("Provider").selectOption(provider.id);
    await page.getByLabel("Name").fill(`${provider.name} settings e2e`);
    await page.getByRole("button", { name: "Create endpoint" }).click();
    const reveal = page.getByRole("region", { name: "Endpoint created" });
    await expect(reveal).toBeVisible();
    const url = (await reveal.getByTestId("revealed-url").textContent())!;
    expect(url).toMatch(/\/api\/webhooks\/ep_[\w-]{24,}$/);
    if (provider.id === "greenhouse" || provider.id === "outhire") {
      await expect(reveal.getByTestId("revealed-secret")).not.toBeEmpty();
    } else {
      await expect(reveal.getByTestId("revealed-secret")).toHaveCount(0);
    }
    await reveal.getByRole("button", { name: "Copy" }).first().click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await reveal.getByRole("button", { name: "Done" }).click();
  }
  await page.screenshot({ path: testInfo.outputPath("settings.png"), fullPage: true });

  for (const provider of providers) {
    const row = page.getByRole("listitem", { name: `${provider.name} endpoint ${provider.name} settings e2e`, exact: true });
    await row.getByRole("button", { name: "Send test delivery" }).click();
    const result = row.getByTestId("test-delivery-result");
    await expect(result).toContainText("HTTP 200");
    await expect(result).toContainText("processed");
    await result.getByRole("link", { name: "Open the candidate" }).click();
    await expect(page).toHaveURL(/\/candidates\/cand_/);
    await expect(page.getByText(/created|applied|prospect_created/).first()).toBeVisible();
    await page.goto("/settings");
  }

  // The secret is never shown again: the listing has only hints.
  const listing = await (await request.get("/api/endpoints", { headers: auth })).text();
  expect(listing).not.toMatch(/"secret"/);
});

test("rotating a secret keeps the old one working for the overlap; disabling an endpoint answers 410", async ({ page, request }) => {
  const created = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "greenhouse", name: "rotation e2e" } })).json();
  const oldSecret: string = created.secret;
  const body = Buffer.from(JSON.stringify({ action: "ping", payload: { web_hook_id: 1 } }));
  const send = (secret: string) =>
    request.post(`/api/webhooks/${created.id}`, {
      headers: { ...getProvider("greenhouse")!.sign(body, secret, { deliveryId: crypto.randomUUID(), now: new Date() }), "content-type": "application/json" },
      data: body,
    });

  await logIn(page, "/settings");
  const row = page.getByRole("listitem", { name: "Greenhouse endpoint rotation e2e", exact: true });
  await row.getByRole("button", { name: "Rotate secret" }).click();
  await row.getByLabel("Old secret keeps working for (hours)").fill("1");
  await row.getByRole("button", { name: "Issue new secret" }).click();
  const reveal = row.getByRole("region", { name: "New secret issued" });
  const newSecret = (await reveal.getByTestId("revealed-secret").textContent())!;
  expect(newSecret).not.toBe(oldSecret);
  await expect(reveal).toContainText("previous secret keeps working until");

  expect((await send(oldSecret)).status()).toBe(200);
  expect((await send(newSecret)).status()).toBe(200);
  expect((await send("a-secret-nobody-issued")).status()).toBe(401);

  // Rotating again with no overlap retires the secret issued above at once.
  await row.getByRole("button", { name: "Rotate secret" }).click();
  await row.getByLabel("Old secret keeps working for (hours)").fill("0");
  await row.getByRole("button", { name: "Issue new secret" }).click();
  const revealed = row.getByRole("region", { name: "New secret issued" }).getByTestId("revealed-secret");
  await expect(revealed).not.toHaveText(newSecret);
  const newest = (await revealed.textContent())!;
  expect((await send(newSecret)).status()).toBe(401);
  expect((await send(newest)).status()).toBe(200);

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("switch", { name: "Enabled" }).click();
  await expect(row.getByText("disabled")).toBeVisible();
  const disabled = await send(newest);
  expect(disabled.status()).toBe(410);
  expect(await disabled.json()).toMatchObject({ error: "endpoint_disabled" });

  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row.getByRole("alertdialog")).toContainText("already received are kept");
  await row.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByRole("listitem", { name: "Greenhouse endpoint rotation e2e", exact: true })).toHaveCount(0);
  // A deleted endpoint's URL is gone (410), and says so.
  const gone = await send(newest);
  expect(gone.status()).toBe(410);
  expect(await gone.json()).toMatchObject({ error: "endpoint_deleted" });
});

test("an endpoint's row counts its drift notes and the events it stored as not understood", async ({ page, request }) => {
  const created = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "greenhouse", name: "drift e2e" } })).json();
  const corpus = getProvider("greenhouse")!.corpus;
  for (const name of ["docs: Offer approved", "variation: hire with custom_fields [] (as in the current docs' opening) and ids as strings"]) {
    const c = corpus.find((entry) => entry.name === name)!;
    const body = readFileSync(path.join(import.meta.dirname, "../lib/providers/greenhouse", c.file));
    const res = await request.post(`/api/webhooks/${created.id}`, {
      headers: { ...getProvider("greenhouse")!.sign(body, created.secret, { deliveryId: crypto.randomUUID(), now: new Date() }), "content-type": "application/json" },
      data: body,
    });
    expect(res.status()).toBe(200);
    expect((await res.json()).status).toBe(c.expect.status);
  }
  await logIn(page, "/settings");
  const row = page.getByRole("listitem", { name: "Greenhouse endpoint drift e2e", exact: true });
  await expect(row.getByRole("link", { name: "Schema drift (24 h): 3 notes on 1 delivery" })).toBeVisible();
  await expect(row.getByText("Not understood (24 h, stored as ignored): 1 offer_approved")).toBeVisible();
});
