/**
 * The bounded-renders probes, shared by e2e/bounded-renders.browser.spec.ts (which asserts the
 * bounds) and bench/bounded-renders.bench.ts (which prints the figures): hostile but small Talview
 * deliveries sent through the real webhook URL of a Talview endpoint (unsigned: anyone holding the
 * URL can send them), and the measurements taken in Chromium.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

const providerFixture = (provider: string, file: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/providers", provider, "fixtures", file), "utf8"));
const fixture = (file: string) => providerFixture("talview", file);

/** Talview's documented created snapshot for candidate `id`. */
export function talviewCreated(id: number): Buffer {
  return Buffer.from(JSON.stringify({ ...fixture("candidate-created.json"), id, first_name: "Wide", last_name: `Probe ${id}` }));
}

/** An update of candidate `id` that adds `keys` custom fields: 60,000 give an ~880 KB body and 60,000 changed keys. */
export function talviewWideUpdate(id: number, keys = 60_000): Buffer {
  const cf = Object.fromEntries(Array.from({ length: keys }, (_, i) => [`f${String(i).padStart(5, "0")}`, i]));
  return Buffer.from(JSON.stringify({ ...fixture("candidate-updated.json"), id, first_name: "Wide", last_name: `Probe ${id}`, cf }));
}

/** A candidate body whose `cf` nests `levels` objects deep (~82 KB for 5,000): its pretty print was 50 M characters. */
export function talviewDeepBody(id: number, levels = 5_000): Buffer {
  const open = Array.from({ length: levels }, (_, i) => `{"level_${String(i).padStart(5, "0")}":`).join("");
  return Buffer.from(`{"id":${id},"first_name":"Deep","last_name":"Probe ${id}","cf":${open}"bottom"${"}".repeat(levels)}}`);
}

/** An idibu snapshot of candidate `id` applied to `vacancies` jobs, all in stage `label`: each vacancy is a job with a stage. */
export function idibuManyVacancies(id: string, vacancies: number, label: string, timestamp: string): Buffer {
  const body = providerFixture("idibu", "candidate-create.json");
  body.payload.id = id;
  body.payload.vacancies = Array.from({ length: vacancies }, (_, i) => ({ id: String(i), title: `Job ${i}`, status: { id: "11", type: "default", label } }));
  body["payload-information"] = { timestamp, webhook_event: label === "Applicants" ? "candidate.create" : "candidate.update" };
  return Buffer.from(JSON.stringify(body));
}

/** Posts a body to a Talview endpoint's real webhook URL (its per-event form). */
export async function sendTalview(baseUrl: string, endpointId: string, event: string, body: Buffer) {
  const response = await fetch(`${baseUrl}/api/webhooks/${encodeURIComponent(endpointId)}?event=${event}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new Uint8Array(body),
  });
  const json = (await response.json()) as { status: string; deliveryId: string };
  return { httpStatus: response.status, ...json };
}

/**
 * Opens a candidate page and waits until it is usable: the newest event and its "Show all N
 * changes" button are on screen and hydrated (React has attached its handlers), so a click works.
 */
export async function openWideCandidate(page: Page, candidateId: string): Promise<{ usableMs: number }> {
  const started = Date.now();
  await page.goto(`/candidates/${encodeURIComponent(candidateId)}`, { waitUntil: "commit" });
  const showAll = page.getByRole("button", { name: /^Show all [\d,]+ changes$/ });
  await expect(showAll).toBeVisible({ timeout: 60_000 });
  await page.waitForFunction(
    () => {
      const button = [...document.querySelectorAll("button")].find((b) => /^Show all [\d,]+ changes$/.test(b.textContent ?? ""));
      return Boolean(button && Object.keys(button).some((k) => k.startsWith("__reactProps")));
    },
    undefined,
    { timeout: 60_000 },
  );
  return { usableMs: Date.now() - started };
}

/**
 * In the delivery log filtered to one endpoint: clicks the delivery and waits until its panel shows
 * the body (with the collapsed-nesting marker when `marker` is given).
 */
export async function openDeliveryPanel(page: Page, endpointId: string, deliveryId: string, marker: RegExp): Promise<{ panelMs: number }> {
  await page.goto(`/deliveries?endpointId=${encodeURIComponent(endpointId)}`);
  const open = page.getByRole("button", { name: new RegExp(`^Show delivery ${deliveryId}`) });
  await expect(open).toBeVisible({ timeout: 30_000 });
  const started = Date.now();
  await open.click();
  const body = page.getByRole("region", { name: "Body" });
  await expect(body.getByText(marker).first()).toBeVisible({ timeout: 60_000 });
  return { panelMs: Date.now() - started };
}
