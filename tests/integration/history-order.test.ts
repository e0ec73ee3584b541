import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { getProvider } from "@/lib/providers/registry";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { buildHistories, type CandidateHistory } from "@/lib/simulator/build-histories";
import { Rng } from "@/lib/simulator/random";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { routes } from "../helpers/api";
import {
  createEndpoints,
  getTimelinePages,
  isTimeless,
  normalizeEvent,
  sendAndCheck,
  shuffle,
  snapshotHistories,
  type Endpoints,
  type HistorySnapshot,
  type PlannedDelivery,
} from "../helpers/timeline";

/**
 * Property: the history a user sees (timelines with their field diffs and stage moves, candidate
 * views, the candidate list) depends only on the deliveries, not on the order they arrive in or on
 * redeliveries. Each arrival order is replayed into its own fresh in-memory database.
 */

// Each provider's coverage seed (in its folder): the histories cover every event kind it makes.
const plan = Object.fromEntries(providerIds.map((p) => [p, { seed: getProvider(p)!.simulator.coverageSeed, candidates: 3 }])) as Record<
  ProviderId,
  { seed: number; candidates: number }
>;

const histories: Record<ProviderId, CandidateHistory[]> = Object.fromEntries(
  providerIds.map((provider) => [provider, buildHistories({ provider, ...plan[provider] })]),
) as Record<ProviderId, CandidateHistory[]>;

/** Every delivery once, with a delivery id fixed per delivery, in simulated time order. */
const inOrder: PlannedDelivery[] = providerIds
  .flatMap((provider) =>
    histories[provider].flatMap((h, hi) =>
      h.deliveries.map((delivery, di) => ({ provider, delivery, deliveryId: `${provider}-${plan[provider].seed}-${hi}-${di}`, redelivery: false })),
    ),
  )
  .sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime());

/**
 * A random arrival order with random redeliveries (same delivery id and bytes), some right after the
 * original, some much later.
 *
 * The one constraint: Greenhouse deliveries without a provider time (update_candidate,
 * delete_candidate, merge_candidate) keep their relative order. The ingest dates them by their
 * received time, so swapping two of them really swaps them in the candidate's history (an older
 * update_candidate snapshot arriving last IS the newest known state: nothing in the payload says
 * otherwise). Against every other delivery their place is fixed whatever the permutation: their
 * received time is now, after every simulated (2025) provider time.
 */
function arrivalOrder(seed: number): PlannedDelivery[] {
  const rng = new Rng("history-order", seed);
  const shuffled = shuffle(rng, inOrder);
  const timeless = inOrder.filter(isTimeless);
  let next = 0;
  const order = shuffled.map((p) => (isTimeless(p) ? timeless[next++] : p));

  const out: PlannedDelivery[] = [];
  const late: PlannedDelivery[] = [];
  for (const p of order) {
    out.push(p);
    if (rng.chance(0.3)) {
      const again = { ...p, redelivery: true };
      if (rng.chance(0.5)) out.push(again);
      else late.push(again);
    }
  }
  for (const again of late) {
    const original = out.findIndex((p) => p.deliveryId === again.deliveryId && !p.redelivery);
    // Much later: somewhere in the last third, and always after the original.
    out.splice(rng.int(Math.max(original + 1, Math.floor(out.length * 0.66)), out.length), 0, again);
  }
  return out;
}

async function replay(order: PlannedDelivery[], options: { checkPaging?: boolean } = {}): Promise<HistorySnapshot> {
  const t = await createTestDb("pglite");
  setDb(t.db);
  try {
    const cutoff = new Date();
    const endpoints: Endpoints = await createEndpoints();
    for (const p of order) await sendAndCheck(endpoints, p);
    const snapshot = await snapshotHistories(cutoff, 4);
    if (options.checkPaging) {
      // Pages of 4 rebuild each page's diff basis from its predecessors: one big page must agree.
      expect(await snapshotHistories(cutoff, 200)).toEqual(snapshot);
    }
    // No arrival-dependent event leaks: one stored event per distinct delivery.
    expect(await t.db.prisma.event.count()).toBe(inOrder.length);
    return snapshot;
  } finally {
    setDb(undefined);
    await t.drop();
  }
}

describe("timelines do not depend on arrival order (PGlite, one fresh database per order)", () => {
  let reference: HistorySnapshot | null = null;

  it("in order: the histories are complete and carry real diffs and stage moves", async () => {
    reference = await replay(inOrder, { checkPaging: true });
    const all = Object.values(reference.candidates);
    const events = (provider: ProviderId) =>
      Object.entries(reference!.candidates)
        .filter(([key]) => key.startsWith(`${provider}:`))
        .flatMap(([, c]) => c.timelineWithNoise);

    expect(reference.list).toHaveLength(providerIds.reduce((n, p) => n + plan[p].candidates, 0));
    expect(all.reduce((n, c) => n + c.view.eventCount, 0)).toBe(inOrder.length);

    // Greenhouse: stage moves with where they came from; the merge and the deletion are visible.
    const ghMoves = events("greenhouse").filter((e) => e.type === "stage_changed");
    expect(ghMoves.length).toBeGreaterThan(0);
    expect(ghMoves.some((e) => e.stage?.from !== null && e.stage?.from !== undefined)).toBe(true);
    expect(ghMoves.every((e) => e.job !== null)).toBe(true);
    const ghChanges = events("greenhouse").filter((e) => e.diffBasis === "previous" && e.changes.length > 0);
    expect(ghChanges.length).toBeGreaterThan(0);
    const ghViews = Object.entries(reference.candidates).filter(([k]) => k.startsWith("greenhouse:")).map(([, c]) => c.view);
    const merged = ghViews.find((v) => v.mergedInto !== null);
    expect(merged, "a merged Greenhouse candidate").toBeDefined();
    expect(merged!.deletedAt).toBe("<arrival>");
    const survivor = reference.candidates[`greenhouse:${merged!.mergedInto!.externalId}`];
    expect(survivor.view.mergedFrom.map((m) => m.externalId)).toEqual([merged!.externalId]);
    expect(survivor.timeline.some((e) => e.mergedFrom?.externalId === merged!.externalId)).toBe(true);
    expect(ghViews.some((v) => v.mergedInto === null && v.deletedAt === "<arrival>" && v.deletedApplicationIds.length === 1)).toBe(true);
    expect(ghViews.some((v) => v.stagePaths.some((p) => p.spans.length >= 3))).toBe(true);

    // Talview: each update adds a subordinate record or edits a field; updated_at moves are noise.
    const tvUpdates = events("talview").filter((e) => e.type === "updated");
    expect(tvUpdates.length).toBeGreaterThan(0);
    expect(tvUpdates.every((e) => e.diffBasis === "previous" && e.changes.some((c) => !c.noise))).toBe(true);
    expect(tvUpdates.every((e) => e.changes.some((c) => c.path === "updated_at" && c.noise))).toBe(true);
    expect(tvUpdates.flatMap((e) => e.changes).some((c) => /^education\[id=\d+\]$/.test(c.path) && c.kind === "added")).toBe(true);
    expect(events("talview").filter((e) => e.type === "created").every((e) => e.diffBasis === "initial")).toBe(true);
    // Without noise=true the bookkeeping is hidden and counted.
    const quietTalview = Object.entries(reference.candidates).filter(([k]) => k.startsWith("talview:")).flatMap(([, c]) => c.timeline);
    expect(quietTalview.filter((e) => e.type === "updated").every((e) => e.hiddenNoiseCount >= 1 && e.changes.every((c) => !c.noise))).toBe(true);
    expect(events("talview").some((e) => e.type === "deleted" && e.occurredAt === "<arrival>")).toBe(true);

    // idibu: vacancy status labels move along the pipeline.
    const labelMoves = events("idibu").flatMap((e) => e.changes).filter((c) => /^vacancies\[id=\d+\]\.status\.label$/.test(c.path));
    expect(labelMoves.length).toBeGreaterThan(0);
    expect(labelMoves.some((c) => c.before === "Applicants" && c.after === "Shortlisted")).toBe(true);
    expect(events("idibu").some((e) => e.stageChanges.some((s: { from: string | null }) => s.from === "Applicants"))).toBe(true);
    // One stage vocabulary: an idibu update whose vacancy status moved is a derived stage_changed;
    // an update that moved nothing stays `updated`.
    const idibuUpdates = events("idibu").filter((e) => e.providerEvent === "candidate.update");
    expect(idibuUpdates.some((e) => e.type === "stage_changed" && e.stageDerived && e.stageChanges.length > 0)).toBe(true);
    expect(idibuUpdates.every((e) => (e.type === "stage_changed") === e.stageChanges.length > 0)).toBe(true);
    expect(idibuUpdates.every((e) => e.stageDerived === (e.type === "stage_changed"))).toBe(true);
    expect(events("outhire").every((e) => !e.stageDerived)).toBe(true);

    // Status: derived from the events, per job and per candidate.
    const statuses = new Set(all.map((c) => c.view.status));
    expect(statuses).toEqual(new Set(["active", "hired", "rejected", "merged", "deleted"]));
    expect(merged!.status).toBe("merged");
    for (const c of all) {
      for (const path of c.view.stagePaths) {
        // The stage clock stops when the application closes.
        expect(path.closedAt === null, `${c.view.externalId} ${path.jobKey}`).toBe(path.status === "active");
      }
    }
    const idibuPlaced = Object.entries(reference.candidates).filter(([k]) => k.startsWith("idibu:")).map(([, c]) => c.view);
    expect(idibuPlaced.every((v) => v.status === (v.currentStages.some((s) => s.stage === "Placed") ? "hired" : v.currentStages.every((s) => s.stage === "Rejected") ? "rejected" : "active"))).toBe(true);

    // Outhire: stage changes with from and to, by a user, Joel or the API.
    const ohMoves = events("outhire").filter((e) => e.type === "stage_changed");
    expect(ohMoves.length).toBeGreaterThan(0);
    expect(ohMoves.every((e) => e.stage !== null && e.stage.from !== null && e.stage.to !== null)).toBe(true);

    // The timeline is newest first by provider time.
    for (const c of all) {
      const times = c.timeline.map((e) => e.occurredAt).filter((at) => at !== "<arrival>");
      expect([...times].sort().reverse()).toEqual(times);
    }
  }, 60_000);

  it.each([11, 22, 33, 44])("random arrival order with redeliveries (seed %i) gives the same histories", async (seed) => {
    expect(reference, "the in-order run must have produced the reference").not.toBeNull();
    const order = arrivalOrder(seed);
    expect(order.filter((p) => p.redelivery).length).toBeGreaterThan(0);
    expect(order.map((p) => p.deliveryId)).not.toEqual(inOrder.map((p) => p.deliveryId));
    const snapshot = await replay(order);
    expect(snapshot.list).toEqual(reference!.list);
    for (const key of Object.keys(reference!.candidates)) {
      expect(snapshot.candidates[key]?.view, `${key} view`).toEqual(reference!.candidates[key].view);
      expect(snapshot.candidates[key]?.timeline, `${key} timeline`).toEqual(reference!.candidates[key].timeline);
      expect(snapshot.candidates[key]?.timelineWithNoise, `${key} timeline with noise`).toEqual(reference!.candidates[key].timelineWithNoise);
    }
    expect(snapshot).toEqual(reference);
  }, 45_000);
});

describe("a late, older Talview snapshot (PGlite)", () => {
  let t: TestDb;
  afterEach(async () => {
    setDb(undefined);
    await t?.drop();
  });
  afterAll(() => setDb(undefined));

  const base = {
    id: 424242,
    first_name: "Ana",
    middle_name: null,
    last_name: "Old",
    email: "ana.old@example.com",
    phone_number: "+15550000001",
    country: "Portugal",
    user_id: 9001,
    external_id: null,
    old_id: null,
    resume_file_id: null,
    profile_pic_file_id: null,
    cf: {},
    meta: {},
    is_active: true,
    is_tnc_accepted: true,
    is_recording_consent_accepted: null,
    thread_id: null,
    notice_period: null,
    work_authorization: null,
    expected_salary: null,
    total_years_experience: null,
    avg_tenure_months: null,
    created_at: "2025-03-01T10:00:00Z",
    created_by: 7,
    updated_at: "2025-03-01T10:00:00Z",
    updated_by: 7,
    attachments: [],
    contacts: [],
    calendars: [],
    education: [] as object[],
    experiences: [],
    certifications: [],
    preferred_locations: [],
    projects: [],
    skill_proficiencies: [],
    social_media_links: [],
  };
  const education = {
    id: 77,
    title: "Master of Arts",
    type: "masters",
    field_of_study: "Economics",
    awarding_board: null,
    institute: "Lund University",
    grade: null,
    gpa_value: 3.6,
    started_at: "2015-09-01",
    completed_at: "2017-06-30",
    is_current: false,
    external_id: null,
    created_at: "2025-03-02T09:00:00Z",
    created_by: 8,
    updated_at: "2025-03-02T09:00:00Z",
    updated_by: 8,
  };
  // t0 created; t1 (older, arrives last) adds an education and a new email; t2 (newest) renames her.
  const created = { ...base };
  const older = { ...base, email: "ana.middle@example.com", education: [education], updated_at: "2025-03-02T09:00:00Z", updated_by: 8 };
  const newest = { ...older, last_name: "New", email: "ana.new@example.com", updated_at: "2025-03-05T16:30:00Z", updated_by: 9 };

  it("keeps the newest name and email and slots the late event between its neighbours, diffed against its true predecessor", async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    const endpoints = await createEndpoints();
    const send = (body: object, event: string, label: string) =>
      sendAndCheck(endpoints, {
        provider: "talview",
        deliveryId: label,
        redelivery: false,
        delivery: {
          body: Buffer.from(JSON.stringify(body)),
          contentType: "application/json",
          query: { event },
          method: "POST",
          occurredAt: new Date(body && (body as { updated_at: string }).updated_at),
          label,
          expected: { providerEvent: event, type: event === "can.candidate.created" ? "created" : "updated", stage: null },
        },
      });
    await send(created, "can.candidate.created", "created");
    await send(newest, "can.candidate.updated", "newest");
    const before = await routes.listCandidates("?provider=talview&q=424242");
    expect(before.json.candidates[0]).toMatchObject({ name: "Ana New", email: "ana.new@example.com", eventCount: 2 });
    await send(older, "can.candidate.updated", "older, arriving last");

    const listed = await routes.listCandidates("?provider=talview&q=424242");
    const candidate = listed.json.candidates[0];
    expect(candidate).toMatchObject({
      name: "Ana New",
      email: "ana.new@example.com",
      eventCount: 3,
      firstSeenAt: "2025-03-01T10:00:00.000Z",
      lastEventAt: "2025-03-05T16:30:00.000Z",
    });
    const view = await routes.getCandidate(candidate.id);
    expect(view.json).toMatchObject({ name: "Ana New", email: "ana.new@example.com" });

    for (const limit of [1, 2, 50]) {
      const { events } = await getTimelinePages(candidate.id, { noise: true, limit });
      const timeline = events.map(normalizeEvent);
      expect(timeline.map((e) => e.occurredAt), `limit ${limit}`).toEqual([
        "2025-03-05T16:30:00.000Z",
        "2025-03-02T09:00:00.000Z",
        "2025-03-01T10:00:00.000Z",
      ]);
      const [n, o, c] = timeline;
      // Changes come in the snapshot's key order as stored (jsonb: shorter keys first).
      expect(c).toMatchObject({ type: "created", diffBasis: "initial", changes: [] });
      // The late event against the created snapshot, not against the newest one.
      expect(o).toMatchObject({ type: "updated", diffBasis: "previous", actor: "talview-user:8" });
      expect(o.changes).toEqual([
        { path: "education[id=77]", kind: "added", before: null, after: education, noise: false },
        { path: "email", kind: "changed", before: "ana.old@example.com", after: "ana.middle@example.com", noise: false },
        { path: "updated_at", kind: "changed", before: "2025-03-01T10:00:00Z", after: "2025-03-02T09:00:00Z", noise: true },
        { path: "updated_by", kind: "changed", before: 7, after: 8, noise: true },
      ]);
      // The newest event, now against the late one: only the rename and the new email remain.
      expect(n).toMatchObject({ type: "updated", diffBasis: "previous", actor: "talview-user:9" });
      expect(n.changes).toEqual([
        { path: "email", kind: "changed", before: "ana.middle@example.com", after: "ana.new@example.com", noise: false },
        { path: "last_name", kind: "changed", before: "Old", after: "New", noise: false },
        { path: "updated_at", kind: "changed", before: "2025-03-02T09:00:00Z", after: "2025-03-05T16:30:00Z", noise: true },
        { path: "updated_by", kind: "changed", before: 8, after: 9, noise: true },
      ]);
    }
    const quiet = await getTimelinePages(candidate.id, { noise: false, limit: 50 });
    expect(quiet.events.map((e: { hiddenNoiseCount: number }) => e.hiddenNoiseCount)).toEqual([2, 2, 0]);
  });
});
