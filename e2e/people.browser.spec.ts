import { expect, test } from "@playwright/test";
import { auth, logIn, expectNoSeriousAxeViolations, expectNoSidewaysScroll, sizes } from "./helpers";

// Issue 17, People: the People view and the person page at a desktop and a phone size, with axe.
type Person = { id: string; name: string | null; emails: string[]; candidates: { id: string; provider: string }[] };
let person: Person;

test.beforeAll(async ({ request }) => {
  // The demo data has people in two providers (same email).
  const demo = await request.post("/api/demo", { headers: auth });
  expect(demo.status()).toBe(201);
  await expect
    .poll(async () => {
      const list = (await (await request.get("/api/people?limit=200", { headers: auth })).json()) as { people: Person[] };
      person = list.people.find((p) => new Set(p.candidates.map((c) => c.provider)).size >= 2 && p.emails.length > 0)!;
      return person?.id ?? "";
    }, { timeout: 60_000 })
    .not.toBe("");
});

for (const size of sizes) {
  test(`People view and person page at ${size.name} size`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await logIn(page, "/candidates");

    await page.getByRole("navigation", { name: "Candidates views" }).getByRole("link", { name: "People" }).click();
    await expect(page).toHaveURL(/\/people$/);
    await expect(page.getByRole("list", { name: "People" })).toBeVisible();
    await expectNoSidewaysScroll(page, `/people at ${size.name}`);
    await expectNoSeriousAxeViolations(page, `/people at ${size.name}`);

    await page.getByLabel("Search people").fill(person.emails[0]);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=/);
    const rows = page.getByRole("list", { name: "People" }).getByRole("listitem");
    await expect(rows).toHaveCount(1);
    await rows.getByRole("link").click();

    await expect(page).toHaveURL(new RegExp(`/people/${person.id}$`));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const records = page.locator("section", { has: page.getByRole("heading", { name: /^Records/ }) });
    for (const c of person.candidates) await expect(records.locator(`a[href="/candidates/${c.id}"]`)).toBeVisible();
    await expect(page.getByText(person.emails[0]).first()).toBeVisible();

    // One timeline with every record's events, each marked with its provider.
    const timeline = page.getByRole("list", { name: "Events of every record" });
    await expect(timeline.locator(":scope > li").first()).toBeVisible();
    const providers = await timeline.locator(":scope > li").evaluateAll((items) => [...new Set(items.map((li) => li.getAttribute("data-provider")))]);
    expect(providers.sort()).toEqual([...new Set(person.candidates.map((c) => c.provider))].sort());

    await expectNoSidewaysScroll(page, `person page at ${size.name}`);
    await expectNoSeriousAxeViolations(page, `person page at ${size.name}`);
  });
}
