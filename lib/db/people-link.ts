import { normalizePhones } from "../people/normalize";
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
        const phones = normalizePhones(provider.contactPhones(e.snapshot));
        if (phones.length > 0) key.phones = [...new Set([...(key.phones ?? []), ...phones])];
      }
    }
  }
  if (keys.size === 0) return;
  await sql.query({ name: "link_people", text: "SELECT link_people($1::jsonb)", params: [JSON.stringify([...keys.values()])] });
}
