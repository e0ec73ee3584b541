import { normalizePhone } from "../people/normalize";
import { newId } from "../ids";
import { getProvider } from "../providers/registry";
import type { SaveItem } from "./events";
import type { Sql } from "./sql";

/**
 * People's automatic linking for a processed batch: one call of the SQL function `link_people`
 * (migration 20261202160702_people; rules in README "People") right after save_processing_outcomes,
 * with each record the batch named and the phone numbers its snapshots carry (E.164). Records
 * without a person get one; records join the person of their normalized email.
 */
export async function linkPeople(sql: Sql, items: SaveItem[]): Promise<void> {
  const keys = new Map<string, { provider: string; external_id: string; person_id: string; phones?: string[] }>();
  for (const { delivery, outcome } of items) {
    const provider = getProvider(delivery.provider);
    for (const e of outcome.events) {
      const id = `${delivery.provider}:${e.candidateExternalId}`;
      let key = keys.get(id);
      if (!key) {
        key = { provider: delivery.provider, external_id: e.candidateExternalId, person_id: newId("per") };
        keys.set(id, key);
      }
      if (provider?.contactPhones && e.snapshot !== null && e.snapshot !== undefined) {
        for (const raw of provider.contactPhones(e.snapshot)) {
          const phone = typeof raw === "string" ? cachedPhone(raw) : null;
          if (phone && !key.phones?.includes(phone)) (key.phones ??= []).push(phone);
        }
      }
    }
  }
  if (keys.size === 0) return;
  await sql.query({ name: "link_people", text: "SELECT link_people($1::jsonb)", params: [JSON.stringify([...keys.values()])] });
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
