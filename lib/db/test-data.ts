import type { PrismaClient } from "./generated/client";
import type { Sql } from "./sql";

/**
 * "Send test delivery" data: the candidate a test delivery names is registered as a test candidate
 * before the delivery is sent, so the events ingest stores for it are marked as they are inserted
 * (save_processing_outcomes copies the flag), whether processing happens before or after the answer,
 * and again on every reprocess.
 */
export async function registerTestCandidate(sql: Sql, candidate: { id: string; provider: string; externalId: string; at: Date }): Promise<void> {
  // A real candidate with the same provider id (practically impossible: the ids are random) stays real.
  await sql.query({
    text: `INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, is_test, created_at, updated_at)
           VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz, true, now(), now())
           ON CONFLICT (provider, external_id) DO NOTHING`,
    params: [candidate.id, candidate.provider, candidate.externalId, candidate.at.toISOString()],
  });
}

export async function markTestDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.delivery.updateMany({ where: { id: deliveryId }, data: { isTest: true } });
}

/**
 * Removes test candidates with their events and stages, and the test deliveries that no longer
 * have events (a test delivery's events belong to its test candidate), with their idempotency keys.
 */
export async function deleteTestData(sql: Sql): Promise<{ candidates: number; events: number; deliveries: number }> {
  return sql.transaction(async (tx) => {
    const events = await tx.query({ text: `DELETE FROM events WHERE is_test RETURNING id` });
    // Their stages go with them (ON DELETE CASCADE).
    const candidates = await tx.query({ text: `DELETE FROM candidates WHERE is_test RETURNING id` });
    const deliveries = await tx.query({
      text: `WITH gone AS (
               DELETE FROM deliveries d WHERE d.is_test AND NOT EXISTS (SELECT 1 FROM events e WHERE e.delivery_id = d.id) RETURNING d.id
             ), keys AS (
               DELETE FROM idempotency_keys k USING gone WHERE k.delivery_id = gone.id
             )
             SELECT id FROM gone`,
    });
    return { candidates: candidates.length, events: events.length, deliveries: deliveries.length };
  });
}
