import type { ProcessingOutcome } from "../ingest/outcome";
import type { Sql } from "../db/sql";
import type { AnonymizedCandidate } from "../db/events";
import { errorMessage, logEvent } from "../log";
import { getProvider } from "../providers/registry";

/** What the events' name and email columns say of a candidate whose provider anonymized them. */
export const ANONYMIZED = "[anonymized]";

export interface AnonymizationCounts {
  candidates: number;
  /** Events whose snapshot (and name/email columns) were rewritten. */
  events: number;
  /** Raw bodies rewritten without the fields (their body_sha256 stays the hash of what was received). */
  deliveries: number;
}

const json = (v: unknown) => JSON.stringify(v);

/**
 * Applies the anonymizations a batch of processed deliveries announced (Greenhouse
 * candidate_anonymized), after their save. A failure is logged and leaves the delivery as saved:
 * reprocessing it applies the anonymization again (it is idempotent).
 *
 * `anonymizedBefore`: the batch's candidates that carry an earlier anonymization's mark, as the save
 * statement read them (saveProcessingBatch).
 */
export async function applyAnonymizations(
  sql: Sql,
  items: { provider: string; outcome: ProcessingOutcome }[],
  anonymizedBefore: AnonymizedCandidate[],
): Promise<void> {
  const requests = items.filter((i) => i.outcome.anonymize).map((i) => ({ provider: i.provider, externalId: i.outcome.anonymize!.externalId, fields: i.outcome.anonymize!.fields }));
  // A delivery about a candidate the provider anonymized earlier (a late retry, a redelivery of an
  // old event) carries the fields again: it is redacted as the stored ones were.
  const key = (provider: string, externalId: string) => `${provider}\u0000${externalId}`;
  const carriedAgain = new Set(
    items
      .filter((i) => !i.outcome.anonymize && getProvider(i.provider)?.anonymization)
      .flatMap((i) => i.outcome.events.map((e) => key(i.provider, e.candidateExternalId))),
  );
  const again = anonymizedBefore.filter((c) => carriedAgain.has(key(c.provider, c.externalId)));
  const work = [...requests, ...again];
  if (work.length === 0) return;
  for (const { provider, externalId, fields } of work) {
    try {
      await anonymizeCandidate(sql, provider, externalId, fields);
    } catch (error) {
      logEvent("error", "anonymization not applied; reprocess the delivery to retry", { provider, error: errorMessage(error) });
    }
  }
  // The rewritten rows' old versions hold the removed values until vacuumed.
  await sql.query({ text: "VACUUM events, deliveries, candidates, people, person_members, candidate_phones" }).catch((error: unknown) => {
    logEvent("warn", "vacuum after anonymization failed; autovacuum will reclaim the rows later", { error: errorMessage(error) });
  });
}

/**
 * Removes `fields` from every stored snapshot and raw body of one candidate, in one transaction under
 * the candidate's row lock (the lock processing takes): the timeline stays (stage moves and the other
 * fields' diffs), the name and email columns say `[anonymized]` when the fields cover them.
 */
export async function anonymizeCandidate(sql: Sql, providerId: string, externalId: string, fields: string[]): Promise<AnonymizationCounts> {
  const provider = getProvider(providerId);
  const rules = provider?.anonymization;
  if (!rules || fields.length === 0) return { candidates: 0, events: 0, deliveries: 0 };
  return sql.transaction(async (tx) => {
    const candidates = await tx.query<{ id: string }>({
      text: "SELECT id FROM candidates WHERE provider = $1 AND external_id = $2 FOR UPDATE",
      params: [providerId, externalId],
    });
    if (candidates.length === 0) return { candidates: 0, events: 0, deliveries: 0 };
    const candidateId = candidates[0].id;
    const removesName = rules.removesName(fields);
    const removesEmail = rules.removesEmail(fields);

    const events = await tx.query<{ id: string; snapshot: unknown }>({
      text: "SELECT id, snapshot FROM events WHERE candidate_id = $1 ORDER BY id",
      params: [candidateId],
    });
    const rewritten = events.map((e) => ({ id: e.id, snapshot: e.snapshot === null ? null : rules.redactSnapshot(e.snapshot, fields) }));
    if (rewritten.length > 0) {
      // changed_paths is cleared so the sweep recomputes it from the rewritten snapshots.
      await tx.query({
        text: `UPDATE events e SET snapshot = r.snapshot,
                 candidate_name = CASE WHEN $2 AND e.candidate_name IS NOT NULL THEN '${ANONYMIZED}' ELSE e.candidate_name END,
                 candidate_email = CASE WHEN $3 AND e.candidate_email IS NOT NULL THEN '${ANONYMIZED}' ELSE e.candidate_email END,
                 changed_paths = NULL, changed_paths_version = NULL
               FROM jsonb_to_recordset($1::jsonb) AS r(id text, snapshot jsonb) WHERE e.id = r.id`,
        params: [json(rewritten), removesName, removesEmail],
      });
    }
    await tx.query({
      text: `UPDATE candidates SET name = CASE WHEN $2 AND name IS NOT NULL THEN '${ANONYMIZED}' ELSE name END,
               email = CASE WHEN $3 AND email IS NOT NULL THEN '${ANONYMIZED}' ELSE email END, updated_at = now(),
               anonymized_fields = (SELECT jsonb_agg(DISTINCT f ORDER BY f) FROM jsonb_array_elements_text(coalesce(anonymized_fields, '[]'::jsonb) || $4::jsonb) f)
             WHERE id = $1`,
      params: [candidateId, removesName, removesEmail, json(fields)],
    });

    // People: the record's normalized email and phone numbers go with the fields (the person's name is
    // recomputed from its records), so no people table keeps what the provider erased.
    if (removesEmail) {
      await tx.query({
        text: "UPDATE person_members SET email_key = NULL, detail = CASE WHEN reason = 'email' THEN NULL ELSE detail END WHERE candidate_id = $1",
        params: [candidateId],
      });
    }
    const phonesLeft = provider?.contactPhones ? rewritten.some((e) => provider.contactPhones!(e.snapshot).length > 0) : false;
    if (!phonesLeft) await tx.query({ text: "DELETE FROM candidate_phones WHERE candidate_id = $1", params: [candidateId] });
    await tx.query({ text: "SELECT refresh_people(ARRAY(SELECT person_id FROM person_members WHERE candidate_id = $1))", params: [candidateId] });

    const deliveries = await tx.query<{ id: string; body: Uint8Array; redacted_fields: string[] | null }>({
      text: `WITH carried AS (SELECT DISTINCT delivery_id AS id FROM events WHERE candidate_id = $1)
             SELECT d.id, d.body, d.redacted_fields FROM deliveries d
             WHERE d.body_purged_at IS NULL AND (d.id IN (SELECT id FROM carried) OR d.duplicate_of_id IN (SELECT id FROM carried))
             ORDER BY d.id FOR UPDATE`,
      params: [candidateId],
    });
    let bodies = 0;
    for (const d of deliveries) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(d.body).toString("utf8"));
      } catch {
        continue; // Not JSON (no anonymizing provider sends anything else): left as received.
      }
      const redacted = rules.redactBody(decoded, externalId, fields);
      if (redacted === null) continue;
      const body = Buffer.from(JSON.stringify(redacted));
      const all = [...new Set([...(d.redacted_fields ?? []), ...fields])];
      await tx.query({
        text: `UPDATE deliveries SET body = $2::bytea, body_redacted_at = now(), redacted_fields = $3::jsonb WHERE id = $1`,
        params: [d.id, body, json(all)],
      });
      bodies++;
    }
    return { candidates: 1, events: rewritten.length, deliveries: bodies };
  });
}
