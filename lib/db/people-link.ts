import { normalizePhone } from "../people/normalize";
import { newId } from "../ids";
import { getProvider } from "../providers/registry";
import { batchCandidateKeys, type SaveItem } from "./events";
import type { Sql } from "./sql";

/**
 * People's automatic linking (SQL function `link_people`, migration 20261202160702_people and
 * …_people_link_set_based; rules in README "People"). A batch's save queues its records
 * (people_link_queue) and stores the phone numbers their snapshots carry (`eventPhones`, passed
 * with the save's candidates); linking then runs off the webhook's path:
 * - `linkQueuedPeople`: the ingest queue's refresher (and the recovery loop), many records a call;
 * - `linkPeople`: right after a save that is not a webhook's (reprocessing, recovery), by key.
 * Records without a person get one; records join the person of their normalized email.
 */
export async function linkPeople(sql: Sql, items: SaveItem[]): Promise<void> {
  const keys = batchCandidateKeys(items).map((key) => ({ ...key, person_id: newId("per") }));
  if (keys.length === 0) return;
  await sql.query({ name: "link_people_by_key", text: "SELECT link_people_by_key($1::jsonb)", params: [JSON.stringify(keys)] });
}

/**
 * Links up to `limit` queued records, oldest first, queued before `before` (null: all), in one
 * transaction; returns how many it took off the queue.
 */
export async function linkQueuedPeople(sql: Sql, before: Date | null, limit: number): Promise<number> {
  const ids = Array.from({ length: limit }, () => newId("per"));
  const rows = await sql.query<{ n: number }>({
    name: "link_people_queued",
    text: "SELECT link_people_queued($1::timestamptz, ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) AS n",
    params: [before?.toISOString() ?? null, JSON.stringify(ids)],
  });
  return Number(rows[0]?.n ?? 0);
}

/** The phone numbers (E.164) an event's snapshot carries, by its provider's contactPhones. */
export function eventPhones(providerId: string, e: { snapshot: unknown }): string[] {
  const provider = getProvider(providerId);
  if (!provider?.contactPhones || e.snapshot === null || e.snapshot === undefined) return [];
  const phones: string[] = [];
  for (const raw of provider.contactPhones(e.snapshot)) {
    const phone = typeof raw === "string" ? cachedPhone(raw) : null;
    if (phone && !phones.includes(phone)) phones.push(phone);
  }
  return phones;
}

/**
 * Parsing a number with libphonenumber-js costs ~30 µs, about a tenth of processing a delivery; a
 * record's every snapshot repeats its number, so the answers are kept (bounded: cleared when full).
 */
const phoneCache = new Map<string, string | null>();
const PHONE_CACHE_MAX = 20_000;

function cachedPhone(raw: string): string | null {
  let phone = phoneCache.get(raw);
  if (phone === undefined) {
    if (phoneCache.size >= PHONE_CACHE_MAX) phoneCache.clear();
    phone = normalizePhone(raw);
    phoneCache.set(raw, phone);
  }
  return phone;
}
