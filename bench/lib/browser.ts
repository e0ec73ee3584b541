import { chromium, type Page } from "@playwright/test";

export type Stats = { p50: number; p95: number; max: number };

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p95: at(95), max: s[s.length - 1] };
}

/** Milliseconds, right-aligned for the figure tables. */
export const fmt = (n: number) => n.toFixed(0).padStart(6);

/** Debian's Chromium with the browser tests' flags (no background traffic to skew timings). */
export function launchBenchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** The baseline of a page: its API call timed from the same browser context. */
export function timeApiCall(page: Page, path: string): Promise<{ ms: number; bytes: number }> {
  return page.evaluate(async (url) => {
    const t = performance.now();
    const text = await (await fetch(url)).text();
    return { ms: performance.now() - t, bytes: text.length };
  }, path);
}
