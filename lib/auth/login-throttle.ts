/**
 * Slows down guessing: each wrong token from a client doubles the wait before its next answer
 * (250 ms, 500 ms, … up to 8 s); a right one clears it. Per process: every instance throttles
 * on its own, which still bounds guesses per instance.
 */
const failures = new Map<string, { count: number; last: number }>();
const FORGET_AFTER_MS = 15 * 60_000;

export function loginDelayMs(client: string, now = Date.now()): number {
  const entry = failures.get(client);
  if (!entry || now - entry.last > FORGET_AFTER_MS) return 0;
  return Math.min(250 * 2 ** (entry.count - 1), 8_000);
}

export function recordLoginFailure(client: string, now = Date.now()): void {
  const entry = failures.get(client);
  failures.set(client, { count: entry && now - entry.last <= FORGET_AFTER_MS ? entry.count + 1 : 1, last: now });
  if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
}

export function recordLoginSuccess(client: string): void {
  failures.delete(client);
}

export function clientKey(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}
