import { expect } from "vitest";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { Rng } from "@/lib/simulator/random";
import type { SimulatedDelivery } from "@/lib/simulator/types";
import { call, routes, sendWebhook } from "./api";

/**
 * Shared by the history-order, history-concurrency and reprocess-all suites: send simulated
 * deliveries through the real webhook route, read every candidate's timeline and view back through
 * the real admin routes, and normalize them so that only arrival-independent facts remain.
 */

export type Endpoints = Record<ProviderId, { id: string; secret: string | null }>;

/** One endpoint per provider through the admin route (the secret comes back once, on create). */
export async function createEndpoints(): Promise<Endpoints> {
  const endpoints = {} as Endpoints;
  for (const provider of providerIds) {
    const res = await routes.createEndpoint({ provider, name: `${provider} history` });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    endpoints[provider] = { id: res.json.id, secret: res.json.secret };
  }
  return endpoints;
}

/** A simulated delivery with the provider delivery id it is always sent with (so a re-send is a redelivery). */
export interface PlannedDelivery {
  provider: ProviderId;
  deliveryId: string;
  delivery: SimulatedDelivery;
  /** A re-send of a delivery already planned earlier (same id, same bytes). */
  redelivery: boolean;
}

/**
 * Greenhouse candidate updates, deletions and merges carry no time of their own: the ingest uses the
 * received time, so for these deliveries arrival order is the only clock.
 */
export const TIMELESS_GREENHOUSE_EVENTS = new Set(["update_candidate", "delete_candidate", "merge_candidate"]);

export function isTimeless(p: Pick<PlannedDelivery, "provider" | "delivery">): boolean {
  return p.provider === "greenhouse" && TIMELESS_GREENHOUSE_EVENTS.has(p.delivery.expected.providerEvent);
}

export function sendPlanned(endpoints: Endpoints, p: PlannedDelivery) {
  const ep = endpoints[p.provider];
  const d = p.delivery;
  const query = d.query && Object.keys(d.query).length > 0 ? `?${new URLSearchParams(d.query)}` : "";
  return sendWebhook(ep.id, d.body, {
    method: d.method as "POST" | "PUT" | "PATCH",
    query,
    contentType: d.contentType,
    sign: { provider: p.provider, secret: ep.secret, deliveryId: p.deliveryId },
  });
}

/** Sends one planned delivery and checks the answer: processed the first time, a duplicate when re-sent. */
export async function sendAndCheck(endpoints: Endpoints, p: PlannedDelivery) {
  const res = await sendPlanned(endpoints, p);
  const what = `${p.delivery.label}${p.redelivery ? " (redelivery)" : ""}: ${JSON.stringify(res.json)}`;
  expect(res.status, what).toBe(200);
  expect(res.json.status, what).toBe(p.redelivery ? "duplicate" : "processed");
  return res;
}

/** Random permutation (Fisher–Yates) with the given PRNG. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading back

export async function getTimelinePages(candidateId: string, options: { noise: boolean; limit: number }) {
  const events: any[] = [];
  let cursor: string | null = null;
  let candidate: any = null;
  for (let page = 0; page < 500; page++) {
    const params = new URLSearchParams({ limit: String(options.limit), noise: String(options.noise) });
    if (cursor) params.set("cursor", cursor);
    const res = await call(timelineRoute as never, "GET", `/api/candidates/${candidateId}/timeline?${params}`, { params: { id: candidateId } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    candidate ??= res.json.candidate;
    events.push(...res.json.events);
    cursor = res.json.nextCursor;
    if (!cursor) break;
  }
  return { candidate, events };
}

export async function listAllCandidates(): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 500; page++) {
    const res = await routes.listCandidates(`?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    all.push(...res.json.candidates);
    cursor = res.json.nextCursor;
    if (!cursor) break;
  }
  return all;
}

const isoLike = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Replaces every timestamp at or after `arrivalCutoff` (the start of the test: all simulated times
 * are in 2025, long before it) by "<arrival>": such a time can only be a received time standing in
 * for a missing provider time (Greenhouse update/delete/merge, Talview deletions). Everything else
 * is kept as is.
 */
export function maskArrivalTimes<T>(value: T, arrivalCutoff: Date): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string" && isoLike.test(v)) {
      const ms = Date.parse(v);
      return !Number.isNaN(ms) && ms >= arrivalCutoff.getTime() ? "<arrival>" : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export interface NormalizedChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
  noise: boolean;
}

/** A timeline event without what depends on arrival (ids, delivery, received time, endpoint). */
export function normalizeEvent(e: any): {
  type: string;
  providerEvent: string | null;
  typeInferred: boolean;
  occurredAt: string;
  provider: string;
  job: { id: string | null; title: string | null } | null;
  applicationId: string | null;
  stage: { from: string | null; to: string } | null;
  stageChanges: { jobId: string | null; jobTitle: string | null; from: string | null; to: string }[];
  stageDerived: boolean;
  actor: string | null;
  details: unknown;
  changes: NormalizedChange[];
  hiddenNoiseCount: number;
  diffBasis: string;
  mergedFrom: { externalId: string } | null;
} {
  return {
    type: e.type,
    providerEvent: e.providerEvent,
    typeInferred: e.typeInferred,
    occurredAt: e.occurredAt,
    provider: e.provider,
    job: e.job,
    applicationId: e.applicationId,
    stage: e.stage,
    stageChanges: e.stageChanges,
    stageDerived: e.stageDerived,
    actor: e.actor,
    details: e.details,
    changes: e.changes.map((c: NormalizedChange) => ({ path: c.path, kind: c.kind, before: c.before, after: c.after, noise: c.noise })),
    hiddenNoiseCount: e.hiddenNoiseCount,
    diffBasis: e.diffBasis,
    mergedFrom: e.mergedFrom ? { externalId: e.mergedFrom.externalId } : null,
  };
}

const byJobKey = (a: { jobKey: string }, b: { jobKey: string }) => a.jobKey.localeCompare(b.jobKey);

/** The candidate view (GET /api/candidates/{id}) without ids, updatedAt-type fields and the running span's duration. */
export function normalizeView(v: any) {
  return {
    provider: v.provider,
    externalId: v.externalId,
    name: v.name,
    email: v.email,
    currentStage: v.currentStage,
    currentJob: v.currentJob,
    eventCount: v.eventCount,
    firstSeenAt: v.firstSeenAt,
    lastEventAt: v.lastEventAt,
    deletedAt: v.deletedAt,
    status: v.status,
    currentStages: [...v.currentStages].sort(byJobKey),
    stagePaths: [...v.stagePaths].sort(byJobKey).map((p: any) => ({
      jobKey: p.jobKey,
      jobTitle: p.jobTitle,
      status: p.status,
      closedAt: p.closedAt,
      // The current span's duration runs until now, unless the application closed.
      spans: p.spans.map((s: any) => (s.leftAt === null && p.closedAt === null ? { stage: s.stage, enteredAt: s.enteredAt, leftAt: null } : s)),
    })),
    mergedInto: v.mergedInto ? { externalId: v.mergedInto.externalId, name: v.mergedInto.name, known: v.mergedInto.id !== null } : null,
    mergedFrom: [...v.mergedFrom].map((m: any) => ({ externalId: m.externalId, name: m.name })).sort((a, b) => a.externalId.localeCompare(b.externalId)),
    deletedApplicationIds: v.deletedApplicationIds,
  };
}

function normalizeListed(c: any) {
  return {
    provider: c.provider,
    externalId: c.externalId,
    name: c.name,
    email: c.email,
    currentStage: c.currentStage,
    currentJob: c.currentJob,
    eventCount: c.eventCount,
    firstSeenAt: c.firstSeenAt,
    lastEventAt: c.lastEventAt,
    deletedAt: c.deletedAt,
    status: c.status,
    stages: [...c.stages].sort(byJobKey),
  };
}

export interface HistorySnapshot {
  /** The candidate list, sorted by provider and external id (ties in lastEventAt order by random ids). */
  list: ReturnType<typeof normalizeListed>[];
  /** Per `provider:externalId`: the view, the timeline (noise hidden, then shown), newest first. */
  candidates: Record<string, { view: ReturnType<typeof normalizeView>; timeline: ReturnType<typeof normalizeEvent>[]; timelineWithNoise: ReturnType<typeof normalizeEvent>[] }>;
}

/** Everything a user can see of the histories, normalized; pages of `pageSize` events (several per timeline). */
export async function snapshotHistories(arrivalCutoff: Date, pageSize = 4): Promise<HistorySnapshot> {
  const listed = await listAllCandidates();
  const list = listed.map(normalizeListed).sort((a, b) => `${a.provider}:${a.externalId}`.localeCompare(`${b.provider}:${b.externalId}`));
  const candidates: HistorySnapshot["candidates"] = {};
  for (const c of listed) {
    const view = await routes.getCandidate(c.id);
    expect(view.status).toBe(200);
    const quiet = await getTimelinePages(c.id, { noise: false, limit: pageSize });
    const noisy = await getTimelinePages(c.id, { noise: true, limit: pageSize });
    candidates[`${c.provider}:${c.externalId}`] = {
      view: normalizeView(view.json),
      timeline: quiet.events.map(normalizeEvent),
      timelineWithNoise: noisy.events.map(normalizeEvent),
    };
  }
  return maskArrivalTimes({ list, candidates }, arrivalCutoff);
}
