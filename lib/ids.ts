import { randomFillSync } from "node:crypto";

/** Random bytes drawn a page at a time: a call into the CSPRNG per id was 4% of ingest's CPU. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/**
 * Prefixed random ids (`dlv_…`, `evt_…`): readable in logs and URLs, and the prefix tells what
 * an id points at. Endpoint ids and webhook URL tokens (`whk_…`, a rotated URL) carry 144 random bits because the
 * webhook URL is a credential.
 */
export function newId(prefix: "ep" | "whk" | "dlv" | "evt" | "cand" | "rej" | "per" | "ers", bytes = 12): string {
  const n = prefix === "ep" || prefix === "whk" ? Math.max(bytes, 18) : bytes;
  if (n > pool.length) return `${prefix}_${randomFillSync(Buffer.alloc(n)).toString("base64url")}`;
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  // Each byte of the pool is used once.
  const id = `${prefix}_${pool.toString("base64url", offset, offset + n)}`;
  offset += n;
  return id;
}
