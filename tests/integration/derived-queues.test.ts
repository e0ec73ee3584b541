/**
 * What a webhook's save leaves for later (migration 20261203181053_analytics_after_save): the
 * analytics summaries (analytics_refresh_queue) and People linking (people_link_queue), queued by
 * the save in its own transaction and done by the ingest queue's DerivedRefresher once ingest is
 * quiet, or by the recovery loop's sweep after a crash. Held here:
 * - the save queues only candidates whose stays can move (a stage observed, a status stated) for
 *   analytics, every candidate for People, and stores the phone numbers itself;
 * - nothing is lost between the save and the refresh: a batch left queued (the process died before
 *   its refresher ran) is done by the sweep, and the result equals a full recompute;
 * - the ingest queue answers before doing either, and `settled` (what the other suites wait on)
 *   returns only once both queues are empty.
 */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshAnalyticsBacklog } from "@/lib/db/analytics-refresh";
import { setDb } from "@/lib/db/client";
import { linkQueuedPeople } from "@/lib/db/people-link";
import { IngestQueue, type IncomingStored } from "@/lib/ingest/ingest-queue";
import type { ProviderId } from "@/lib/providers/types";
import { routes } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

function stored(endpointId: string, provider: ProviderId, body: unknown, query = ""): IncomingStored {
  const bytes = Buffer.from(JSON.stringify(body));
  const key = randomUUID();
  return {
    id: `dlv_${randomUUID()}`,
    endpointId,
    provider,
    receivedAt: new Date(),
    method: "POST",
    query,
    headers: { "content-type": "application/json", "x-delivery": key },
    contentType: "application/json",
    body: bytes,
    bodySha256: createHash("sha256").update(bytes).digest("hex"),
    idempotencyKey: key,
    idempotencySource: "x-delivery header",
  };
}

/** An idibu candidate (a stage observed with every delivery) and a Talview one (no stage, a phone). */
function idibu(endpointId: string, externalId: string): IncomingStored {
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  fixture.payload.id = externalId;
  return stored(endpointId, "idibu", fixture);
}
function talview(endpointId: string, id: number): IncomingStored {
  const fixture = JSON.parse(readFixture("talview", "fixtures/candidate-created.json").toString("utf8"));
  fixture.id = id;
  fixture.email = `derived-${id}@example.com`;
  fixture.phone_number = "+1 (415) 555-2671";
  return stored(endpointId, "talview", fixture, "?event=can.candidate.created");
}

/** Nothing runs by itself in these queues: no quiet long enough, no lag long enough. */
const never = { idleMs: 600_000, maxLagMs: 600_000, roundSize: 100 };
const queueOptions = { concurrency: 1, maxBatch: 100, maxBatchBytes: 8 * 1024 * 1024, maxQueuedBytes: 64 * 1024 * 1024, lingerMs: 0 };

describe.each<DbKind>(["pglite", "postgres"])("derived queues on %s", (kind) => {
  let t: TestDb;
  let idibuEndpoint: string;
  let talviewEndpoint: string;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    idibuEndpoint = (await routes.createEndpoint({ provider: "idibu", name: "derived" })).json.id;
    talviewEndpoint = (await routes.createEndpoint({ provider: "talview", name: "derived" })).json.id;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  async function queued(table: "analytics_refresh_queue" | "people_link_queue", prefix: string): Promise<string[]> {
    const rows = await t.db.sql.query<{ external_id: string }>({
      text: `SELECT c.external_id FROM ${table} q JOIN candidates c ON c.id = q.candidate_id WHERE c.external_id LIKE $1 ORDER BY 1`,
      params: [`${prefix}%`],
    });
    return rows.map((r) => r.external_id);
  }

  async function submitAll(queue: IngestQueue, deliveries: IncomingStored[]) {
    const answers = await Promise.all(deliveries.map((d) => queue.submit(d)!));
    return Promise.all(answers.map((a) => ("processing" in a ? a.processing : Promise.reject(new Error("duplicate")))));
  }

  /** application_stays and application_summary rows of the candidates, as text, in key order. */
  async function summaries(prefix: string): Promise<string[]> {
    const rows = await t.db.sql.query<{ row: string }>({
      text: `SELECT s::text AS row FROM application_stays s JOIN candidates c ON c.id = s.candidate_id WHERE c.external_id LIKE $1
             UNION ALL
             SELECT a::text FROM application_summary a JOIN candidates c ON c.id = a.candidate_id WHERE c.external_id LIKE $1
             ORDER BY 1`,
      params: [`${prefix}%`],
    });
    return rows.map((r) => r.row);
  }

  it("the answers come before the refresh and the linking; settled waits for both", async () => {
    const queue = new IngestQueue(t.db.sql, { ...queueOptions, derived: never });
    const outcomes = await submitAll(queue, [idibu(idibuEndpoint, "q1-a"), idibu(idibuEndpoint, "q1-b"), talview(talviewEndpoint, 9101)]);
    expect(outcomes.map((o) => o.status)).toEqual(["processed", "processed", "processed"]);

    // Answered: the events are saved; the stays and the people are not made yet, only queued. The
    // Talview record observes no stage, so its stays cannot have moved: it is queued for People only.
    expect(await queued("analytics_refresh_queue", "q1-")).toEqual(["q1-a", "q1-b"]);
    expect(await queued("people_link_queue", "q1-")).toEqual(["q1-a", "q1-b"]);
    const talviewId = (await t.db.prisma.candidate.findFirstOrThrow({ where: { provider: "talview", email: "derived-9101@example.com" } })).id;
    expect((await t.db.sql.query({ text: "SELECT 1 FROM analytics_refresh_queue WHERE candidate_id = $1", params: [talviewId] })).length).toBe(0);
    expect((await t.db.sql.query({ text: "SELECT 1 FROM people_link_queue WHERE candidate_id = $1", params: [talviewId] })).length).toBe(1);
    expect(await summaries("q1-")).toEqual([]);
    expect(await t.db.prisma.personMember.count({ where: { candidateId: talviewId } })).toBe(0);
    // The phone number is stored by the save itself (E.164), before any linking.
    expect(await t.db.prisma.candidatePhone.findMany({ where: { candidateId: talviewId }, select: { phone: true } })).toEqual([{ phone: "+14155552671" }]);

    await queue.settled();
    expect(await queued("analytics_refresh_queue", "q1-")).toEqual([]);
    expect(await queued("people_link_queue", "q1-")).toEqual([]);
    expect((await summaries("q1-")).length).toBeGreaterThan(0);
    expect(await t.db.prisma.personMember.count({ where: { candidate: { OR: [{ externalId: { startsWith: "q1-" } }, { id: talviewId }] } } })).toBe(3);
  });

  it("a batch left queued (no refresher ran: a crash) is done by the sweep, equal to a full recompute", async () => {
    // A queue whose refresher never runs stands for a process killed right after its saves.
    const dead = new IngestQueue(t.db.sql, { ...queueOptions, derived: never });
    await submitAll(dead, [idibu(idibuEndpoint, "q2-a"), idibu(idibuEndpoint, "q2-b")]);
    expect(await queued("analytics_refresh_queue", "q2-")).toEqual(["q2-a", "q2-b"]);

    // The sweep's cutoff leaves what a live instance may still be about to do…
    expect(await refreshAnalyticsBacklog(t.db.sql, new Date(Date.now() - 60_000), 500)).toBe(0);
    expect(await linkQueuedPeople(t.db.sql, new Date(Date.now() - 60_000), 500)).toBe(0);
    expect(await queued("analytics_refresh_queue", "q2-")).toEqual(["q2-a", "q2-b"]);
    // …and takes what is older than it.
    const later = new Date(Date.now() + 60_000);
    expect(await refreshAnalyticsBacklog(t.db.sql, later, 500)).toBeGreaterThanOrEqual(2);
    expect(await linkQueuedPeople(t.db.sql, later, 500)).toBeGreaterThanOrEqual(2);
    expect(await queued("analytics_refresh_queue", "q2-")).toEqual([]);
    expect(await queued("people_link_queue", "q2-")).toEqual([]);
    expect(await t.db.prisma.personMember.count({ where: { candidate: { externalId: { startsWith: "q2-" } } } })).toBe(2);

    // What the sweep wrote is what a full recompute of these candidates writes.
    const swept = await summaries("q2-");
    expect(swept.length).toBeGreaterThan(0);
    await t.db.sql.query({ text: "SELECT refresh_application_stays(ARRAY(SELECT id FROM candidates WHERE external_id LIKE 'q2-%'))" });
    expect(await summaries("q2-")).toEqual(swept);
  });

  it("a later delivery while a candidate is queued keeps one queue row, and the refresh sees both", async () => {
    const queue = new IngestQueue(t.db.sql, { ...queueOptions, derived: never });
    await submitAll(queue, [idibu(idibuEndpoint, "q3-a")]);
    const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
    fixture.payload.id = "q3-a";
    await submitAll(queue, [stored(idibuEndpoint, "idibu", fixture)]);
    expect(await queued("analytics_refresh_queue", "q3-")).toEqual(["q3-a"]);
    await queue.settled();
    const settled = await summaries("q3-");
    await t.db.sql.query({ text: "SELECT refresh_application_stays(ARRAY(SELECT id FROM candidates WHERE external_id LIKE 'q3-%'))" });
    expect(await summaries("q3-")).toEqual(settled);
  });
});
