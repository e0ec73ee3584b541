/**
 * Sends realistic, correctly signed candidate webhooks through the dashboard's real HTTP endpoint.
 * Run `npm run simulate -- --help` for usage.
 */
import { parseArgs } from "node:util";
import { buildHistories } from "../lib/simulator/build-histories";
import { sendHistories, type SendSummary } from "../lib/simulator/send-deliveries";
import { getProvider, providers } from "../lib/providers/registry";
import { providerIds, type ProviderId } from "../lib/providers/types";

const usage = `Usage: npm run simulate -- [options]

Sends simulated candidate histories to POST {url}/api/webhooks/{endpoint}, signed like the real provider.

  --url <url>             Dashboard origin (default http://localhost:3000)
  --endpoint <id>         Endpoint id to send to (after Rotate URL: with --token, its current URL is used;
                          without, pass the token at the end of the endpoint's URL)
  --provider <id>         ${providerIds.join(" | ")} (optional with --token: read from the endpoint)
  --secret <secret>       The endpoint's secret (needed for providers that sign; the API never returns it)
  --token <token>         Admin token (default: $ADMIN_TOKEN) to look up the endpoint or, with --all, create endpoints
  --all                   Create one endpoint per provider (needs --token) and send histories to each
  --candidates <n>        Candidate histories per provider (default 5)
  --seed <seed>           Seed for names, ids and times (default: random; printed so a run can be repeated)
  --start <iso>           Earliest event time (default: 45 days ago, at midnight UTC)
  --concurrency <n>       Candidates sent in parallel; each candidate's events stay in order (default 4)
  --redeliver-every <n>   Re-send every nth delivery with the same delivery id and body (idempotency check)
  --json                  Print the summary as JSON
  -h, --help              Show this help

Examples:
  npm run simulate -- --endpoint ep_123 --provider greenhouse --secret s3cret --candidates 5 --seed 42
  npm run simulate -- --endpoint ep_123 --token $ADMIN_TOKEN --secret whsec_...
  npm run simulate -- --all --token $ADMIN_TOKEN --candidates 20

Exits 1 when any delivery got a non-2xx response (or none at all), 2 on a usage error.`;

class UsageError extends Error {}

interface Target {
  provider: ProviderId;
  endpointId: string;
  secret: string | null;
}

interface RunReport {
  provider: ProviderId;
  endpointId: string;
  candidates: number;
  summary: SendSummary;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: "http://localhost:3000" },
      endpoint: { type: "string" },
      provider: { type: "string" },
      secret: { type: "string" },
      token: { type: "string" },
      all: { type: "boolean", default: false },
      candidates: { type: "string", default: "5" },
      seed: { type: "string" },
      start: { type: "string" },
      concurrency: { type: "string", default: "4" },
      "redeliver-every": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }

  const baseUrl = values.url.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--url must start with http:// or https://, got "${values.url}"`);
  const candidates = positiveInt(values.candidates, "--candidates", true);
  const concurrency = positiveInt(values.concurrency, "--concurrency");
  const redeliverEvery = values["redeliver-every"] === undefined ? undefined : positiveInt(values["redeliver-every"], "--redeliver-every");
  const seed = values.seed ?? String(Math.floor(Math.random() * 1_000_000_000));
  const startAt = values.start ? new Date(values.start) : defaultStart();
  if (Number.isNaN(startAt.getTime())) throw new UsageError(`--start must be an ISO date, got "${values.start}"`);
  const token = values.token ?? process.env.ADMIN_TOKEN;

  const targets: Target[] = [];
  if (values.all) {
    if (!token) throw new UsageError("--all needs --token (or ADMIN_TOKEN) to create endpoints");
    if (values.endpoint || values.provider || values.secret) throw new UsageError("--all creates its own endpoints; drop --endpoint, --provider and --secret");
    for (const provider of providerIds) {
      const created = await api<{ id: string; secret: string | null }>(baseUrl, token, "POST", "/api/endpoints", {
        provider,
        name: `Simulator: ${providers[provider].displayName} (seed ${seed})`,
      });
      targets.push({ provider, endpointId: created.id, secret: created.secret ?? null });
    }
  } else {
    if (!values.endpoint) throw new UsageError("--endpoint is required (or use --all --token)");
    let provider = values.provider;
    let urlToken = values.endpoint;
    if (provider === undefined) {
      if (!token) throw new UsageError("--provider is required unless --token is given to look the endpoint up");
      const endpoint = await api<{ provider: string; url: string }>(baseUrl, token, "GET", `/api/endpoints/${encodeURIComponent(values.endpoint)}`);
      provider = endpoint.provider;
      // The endpoint's current URL: its id until the URL is rotated, a whk_ token after.
      urlToken = decodeURIComponent(new URL(endpoint.url).pathname.split("/").at(-1)!);
    }
    const module = getProvider(provider);
    if (!module) throw new UsageError(`--provider must be one of ${providerIds.join(", ")}, got "${provider}"`);
    if (module.signs && !values.secret) {
      throw new UsageError(`${module.displayName} signs its deliveries: pass the endpoint's secret with --secret (shown once, when the endpoint was created)`);
    }
    if (!module.signs && values.secret) throw new UsageError(`${module.displayName} does not sign deliveries; drop --secret`);
    targets.push({ provider: module.id, endpointId: urlToken, secret: values.secret ?? null });
  }

  const reports: RunReport[] = [];
  for (const target of targets) {
    const histories = buildHistories({ provider: target.provider, candidates, seed, startAt });
    const summary = await sendHistories({
      baseUrl,
      endpointId: target.endpointId,
      provider: target.provider,
      secret: target.secret,
      histories,
      concurrency,
      redeliverEvery,
    });
    reports.push({ provider: target.provider, endpointId: target.endpointId, candidates, summary });
  }

  const failed = reports.some((r) => r.summary.failures.length > 0);
  if (values.json) {
    console.log(JSON.stringify({ seed, startAt: startAt.toISOString(), ok: !failed, runs: reports }, null, 2));
  } else {
    printSummary(seed, startAt, reports);
  }
  return failed ? 1 : 0;
}

function printSummary(seed: string, startAt: Date, reports: RunReport[]): void {
  const lines = [`seed ${seed}, start ${startAt.toISOString()}`];
  for (const { provider, endpointId, candidates, summary } of reports) {
    const http = Object.entries(summary.byHttpStatus)
      .map(([status, n]) => `${status}×${n}`)
      .join(" ");
    const statuses = Object.entries(summary.byStatus)
      .map(([status, n]) => `${status} ${n}`)
      .join(", ");
    const redelivered = summary.redelivered > 0 ? ` (${summary.redelivered} redeliveries)` : "";
    lines.push(
      `${provider.padEnd(10)} ${endpointId}: ${candidates} candidate${candidates === 1 ? "" : "s"}, ${summary.sent} deliveries${redelivered} in ${(summary.durationMs / 1000).toFixed(1)}s — HTTP ${http}; ${statuses}`,
    );
    for (const f of summary.failures.slice(0, 5)) lines.push(`  ✗ ${f.httpStatus ?? "no response"} ${f.label}: ${brief(f.response)}`);
    if (summary.failures.length > 5) lines.push(`  … ${summary.failures.length - 5} more failures`);
    for (const f of summary.processingFailures.slice(0, 3)) lines.push(`  ! stored but not mapped: ${f.label}: ${brief(f.response)}`);
    if (summary.duplicateMisses.length > 0) lines.push(`  ! ${summary.duplicateMisses.length} redeliveries were not reported as duplicates`);
  }
  console.log(lines.join("\n"));
}

function brief(response: unknown): string {
  if (response && typeof response === "object") {
    const r = response as { error?: unknown; message?: unknown };
    if (r.error || r.message) return [r.error, r.message].filter(Boolean).join(": ");
  }
  const text = typeof response === "string" ? response : JSON.stringify(response);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function api<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(`${method} ${baseUrl}${path} failed: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ""}`);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; reported below
  }
  if (!response.ok) throw new Error(`${method} ${path} → HTTP ${response.status}: ${json ? brief(json) : text.slice(0, 300)}`);
  if (json === null || typeof json !== "object") throw new Error(`${method} ${path} → HTTP ${response.status} without a JSON body`);
  return json as T;
}

function positiveInt(value: string, flag: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 100_000) throw new UsageError(`${flag} must be a whole number${allowZero ? " ≥ 0" : " ≥ 1"}, got "${value}"`);
  return n;
}

function defaultStart(): Date {
  const day = 86_400_000;
  return new Date(Math.floor((Date.now() - 45 * day) / day) * day);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`simulate: ${(error as Error).message}\nRun with --help for usage.`);
      process.exitCode = 2;
    } else {
      console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
