// The README's screenshots of issue 15's screens, taken with Playwright against demo data:
//   docs/screenshot-compact-timeline.png  a candidate's timeline in compact mode
//   docs/screenshot-phone.png             the candidates list (status pills) on a 390×844 phone
//   docs/screenshot-endpoint.png          an endpoint page (Talview: Rotate URL, outcome chart, log)
//   docs/screenshot-person.png            a person present in two providers (issue 17's person page)
//   docs/screenshot-analytics.png         the Analytics page for the demo's Greenhouse job with most applications
// Usage, against a running server (loads the demo data first when there are no candidates):
//   BASE_URL=http://127.0.0.1:3000 ADMIN_TOKEN=… npx tsx scripts/readme-screenshots.ts
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

const base = (process.env.BASE_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
const token = process.env.ADMIN_TOKEN;
if (!token) {
  console.error("ADMIN_TOKEN is required (the server's admin token)");
  process.exit(2);
}
const auth = { authorization: `Bearer ${token}` };
const docs = path.resolve(import.meta.dirname, "../docs");

async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${base}${pathname}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Candidates = { candidates: { id: string; eventCount: number }[] };
if ((await api<Candidates>("/api/candidates?limit=1")).candidates.length === 0) {
  console.log("no candidates: loading the demo data");
  await api("/api/demo", { method: "POST" });
}
// Deliveries are processed after they are acknowledged: wait until the list is settled.
let candidates: Candidates["candidates"] = [];
for (let i = 0; i < 60; i++) {
  candidates = (await api<Candidates>("/api/candidates?limit=50")).candidates;
  if (candidates.length >= 10) break;
  await new Promise((r) => setTimeout(r, 1000));
}
// An idibu candidate shows derived stage moves (its updates carry the stage); the one with most events.
const idibu = (await api<Candidates>("/api/candidates?provider=idibu&limit=50")).candidates;
const richest = [...(idibu.length > 0 ? idibu : candidates)].sort((a, b) => b.eventCount - a.eventCount)[0];
const { endpoints } = await api<{ endpoints: { id: string; provider: string }[] }>("/api/endpoints");
const unsigned = endpoints.find((e) => e.provider === "talview") ?? endpoints[0];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme: "light" });
  await page.goto(`${base}/login`);
  await page.getByLabel("Admin token").fill(token!);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  return page;
}

try {
  const desktop = await signedIn({ width: 1440, height: 900 });
  await desktop.goto(`${base}/candidates/${richest.id}`);
  await desktop.getByRole("article", { name: /event$/ }).first().waitFor();
  await desktop.getByLabel("Compact").check();
  await desktop.getByRole("heading", { name: /Timeline/i }).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 80));
  await desktop.screenshot({ path: path.join(docs, "screenshot-compact-timeline.png") });

  await desktop.goto(`${base}/settings/endpoints/${unsigned.id}`);
  await desktop.getByRole("heading", { name: /Outcomes/ }).waitFor();
  await desktop.getByRole("button", { name: "Rotate URL" }).click();
  await desktop.waitForTimeout(500);
  await desktop.screenshot({ path: path.join(docs, "screenshot-endpoint.png"), fullPage: true });

  const phone = await signedIn({ width: 390, height: 844 });
  // Live candidates: their pills (active, hired, rejected) rather than the deleted ones the demo ends with.
  await phone.goto(`${base}/candidates?deleted=exclude`);
  await phone.locator("[data-status]").first().waitFor();
  await phone.getByText(/candidates?( shown, more available)? · most recent/).first().evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70));
  await phone.screenshot({ path: path.join(docs, "screenshot-phone.png") });
  // A person whose records come from two providers (the demo shares some emails across providers).
  const { people } = await api<{ people: { id: string; name: string | null; candidates: { provider: string }[] }[] }>("/api/people?limit=100");
  // A name in Latin script: this machine's Chromium has no CJK font, and the demo's names include some.
  const inTwo = people.filter((p) => new Set(p.candidates.map((c) => c.provider)).size >= 2);
  const across = inTwo.find((p) => /^[\p{Script=Latin}\s.'-]+$/u.test(p.name ?? "")) ?? inTwo[0];
  if (across) {
    await desktop.goto(`${base}/people/${across.id}`);
    await desktop.getByRole("heading", { level: 1 }).waitFor();
    await desktop.getByRole("article").first().waitFor();
    await desktop.screenshot({ path: path.join(docs, "screenshot-person.png") });
  }
  // The Greenhouse job with most applications: the demo's fullest funnel (its stages carry names).
  const { jobs } = await api<{ jobs: { jobId: string; provider: string; applications: number }[] }>("/api/analytics/jobs?provider=greenhouse");
  const job = jobs[0];
  if (job) {
    await desktop.goto(`${base}/analytics?provider=greenhouse&jobId=${encodeURIComponent(job.jobId)}`);
    await desktop.getByRole("heading", { name: "Flow over time" }).waitFor();
    await desktop.getByText(/completed stays?/).first().waitFor();
    await desktop.screenshot({ path: path.join(docs, "screenshot-analytics.png"), fullPage: true });
  }
  console.log(`wrote ${["compact-timeline", "endpoint", "phone", ...(across ? ["person"] : []), ...(job ? ["analytics"] : [])].map((n) => `docs/screenshot-${n}.png`).join(", ")}`);
} finally {
  await browser.close();
}
