import { buildHistories } from "../simulator/build-histories";
import { shareEmails } from "../simulator/shared-emails";
import { sendHistories, type DeliveryResult } from "../simulator/send-deliveries";
import { providers } from "../providers/registry";
import { providerIds, type ProviderId } from "../providers/types";
import type { DemoResult } from "../contracts/demo";

/** Creates an endpoint and returns its id and (for providers that sign) its secret. */
export type CreateDemoEndpoint = (provider: ProviderId, name: string) => Promise<{ id: string; secret: string | null }>;

export interface RunDemoOptions {
  /** The dashboard's origin the webhooks are posted to, e.g. http://localhost:3000. */
  baseUrl: string;
  /** How endpoints are made: straight through lib/db (POST /api/demo) or the admin API over HTTP (scripts/demo.ts). */
  createEndpoint: CreateDemoEndpoint;
  /** Candidate histories per provider (default 12), started over four weeks so the analytics page's weeks have a shape. */
  candidatesPerProvider?: number;
  /** Default: random, so a second run makes new candidates instead of replaying the first run's. */
  seed?: string;
  /** Earliest occurred time in the histories. Default: 42 days before now, at midnight UTC. */
  startAt?: Date;
  providers?: readonly ProviderId[];
  concurrency?: number;
  fetchImpl?: typeof fetch;
  onResult?: (provider: ProviderId, result: DeliveryResult) => void;
}

const DAY_MS = 86_400_000;
/** Demo candidates start over four weeks (a team's steady inflow, into the same jobs); a history spans at most ~2 weeks, so all end by now. */
const DEMO_START_SPREAD_DAYS = 28;

export function demoEndpointName(provider: ProviderId): string {
  return `${providers[provider].displayName} (demo)`;
}

export function defaultDemoStart(now = Date.now()): Date {
  return new Date(Math.floor((now - 42 * DAY_MS) / DAY_MS) * DAY_MS);
}

/**
 * Demo data through the real front door: one "(demo)" endpoint per provider, then simulated,
 * correctly signed candidate histories posted over HTTP to each endpoint's webhook URL, so the
 * stored deliveries, events and candidates are exactly what real providers would produce.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const seed = options.seed ?? `demo-${Math.floor(Math.random() * 1_000_000_000)}`;
  const startAt = options.startAt ?? defaultDemoStart();
  const candidates = options.candidatesPerProvider ?? 12;
  const list = options.providers ?? providerIds;

  const endpoints: DemoResult["endpoints"] = [];
  const secrets = new Map<string, string | null>();
  for (const provider of list) {
    const name = demoEndpointName(provider);
    const created = await options.createEndpoint(provider, name);
    endpoints.push({ provider, id: created.id, name });
    secrets.set(created.id, created.secret);
  }

  const runs: DemoResult["runs"] = [];
  // Candidates start over DEMO_START_SPREAD_DAYS into the same jobs, like a team's steady inflow; some
  // people are in two providers (same email): the People view groups them.
  const allHistories = shareEmails(
    endpoints.map((endpoint) => buildHistories({ provider: endpoint.provider, candidates, seed, startAt, startSpreadDays: DEMO_START_SPREAD_DAYS })),
  );
  for (const [index, endpoint] of endpoints.entries()) {
    const histories = allHistories[index];
    const summary = await sendHistories({
      baseUrl,
      endpointId: endpoint.id,
      provider: endpoint.provider,
      secret: secrets.get(endpoint.id) ?? null,
      histories,
      concurrency: options.concurrency ?? 3,
      fetchImpl: options.fetchImpl,
      onResult: options.onResult ? (r) => options.onResult!(endpoint.provider, r) : undefined,
    });
    runs.push({
      provider: endpoint.provider,
      endpointId: endpoint.id,
      candidates,
      sent: summary.sent,
      byHttpStatus: summary.byHttpStatus,
      byStatus: summary.byStatus,
      failures: [...summary.failures, ...summary.processingFailures].slice(0, 10).map((f) => ({
        label: f.label,
        httpStatus: f.httpStatus,
        message: describe(f.response),
      })),
    });
    // Nothing reached the server (wrong origin, server gone): say so now instead of trying every provider.
    const networkErrors = summary.byHttpStatus["network-error"] ?? 0;
    if (summary.sent > 0 && networkErrors === summary.sent) break;
  }

  const sent = runs.reduce((n, r) => n + r.sent, 0);
  const failed = runs.reduce((n, r) => n + (r.byStatus["(none)"] ?? 0) + (r.byStatus.failed ?? 0), 0);
  const ok = runs.every((r) => r.failures.length === 0);
  const message = ok
    ? `Sent ${sent} webhook deliveries for ${candidates * endpoints.length} demo candidates to ${endpoints.length} new endpoints.`
    : `Sent ${sent} deliveries to ${baseUrl}; ${failed} were not accepted or not processed. First problem: ${runs.flatMap((r) => r.failures)[0]?.message ?? "unknown"}`;
  return { ok, message, seed, startAt: startAt.toISOString(), baseUrl, sent, endpoints, runs };
}

function describe(response: unknown): string {
  if (response && typeof response === "object") {
    const r = response as { error?: unknown; message?: unknown };
    if (r.error || r.message) return [r.error, r.message].filter(Boolean).join(": ");
  }
  const text = typeof response === "string" ? response : JSON.stringify(response);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
