/**
 * Starts the built app as `npm start` serves it (scripts/serve.ts: Next.js behind our node:http
 * server, which takes the webhooks itself) as a child process on a free loopback port, for the
 * fault tests and the benchmarks: migrations first (like scripts/start.ts, but without its "build
 * when sources are newer" step — a test must never start a build), then
 * `node --import tsx scripts/serve.ts` with PORT and HOST=127.0.0.1 in its own process group,
 * ready once `GET /api/health` answers 200. `kill()` is SIGKILL of the whole group (a real crash).
 * APP_NODE_ARGS in the environment adds node flags to the server (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile it under a benchmark); with it, `kill()` sends SIGTERM first, so
 * the profile is written.
 *
 * No build → a clear error telling to run `npx next build` (see requireBuild()).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const serveScript = path.join(repoRoot, "scripts/serve.ts");
const buildIdFile = path.join(repoRoot, ".next/BUILD_ID");

export const defaultAdminToken = "fault-admin-token-0123456789abcdef";
/** 32 bytes as 64 hex characters: the same on every instance so each can decrypt endpoint secrets. */
export const defaultSecretKey = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

/** Throws (with what to do) when there is no production build to start. */
export function requireBuild(): void {
  if (!existsSync(buildIdFile)) {
    throw new Error(
      `no production build: ${path.relative(repoRoot, buildIdFile)} is missing. The fault tests and the ingest bench start the built app ` +
        "(scripts/serve.ts); run `npx next build` (or `npm run build`) first.",
    );
  }
}

/** Whether the build is older than the sources (the tests still run it, but say so). */
export function buildIsStale(): boolean {
  if (!existsSync(buildIdFile)) return true;
  const built = statSync(buildIdFile).mtimeMs;
  const newest = (target: string): number => {
    if (!existsSync(target)) return 0;
    const stat = statSync(target);
    if (!stat.isDirectory()) return stat.mtimeMs;
    let n = stat.mtimeMs;
    for (const entry of readdirSync(target)) n = Math.max(n, newest(path.join(target, entry)));
    return n;
  };
  return ["app", "components", "lib"].some((s) => newest(path.join(repoRoot, s)) > built);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartAppOptions {
  /** postgres://… → PostgreSQL; null/undefined → embedded PGlite in `dataDir`. */
  databaseUrl?: string | null;
  /** DATA_DIR of the app (PGlite lives in DATA_DIR/pglite). Required for PGlite. */
  dataDir: string;
  adminToken?: string;
  secretKey?: string;
  port?: number;
  /** Apply migrations before starting (default true; cheap when already applied). */
  migrate?: boolean;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

export interface AppServer {
  url: string;
  port: number;
  /** Pid of the server process (leader of its own process group). */
  pid: number;
  adminToken: string;
  /** Resident set size (kB) summed over every process of the group, from /proc/<pid>/status VmRSS. */
  rssKb(): number;
  /** SIGKILL to the whole process group (kill -9), then wait for the exit. Idempotent. */
  kill(): Promise<void>;
  exited(): boolean;
  /** The last lines the server printed (stdout + stderr), for failure messages. */
  output(): string;
}

const live = new Set<AppServer>();
process.once("exit", () => {
  for (const server of live) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Applies migrations to the database the app will use, in this process, then closes it. */
export async function migrateFor(databaseUrl: string | null | undefined, dataDir: string): Promise<void> {
  const { openDb, pgliteDirFor } = await import("../../lib/db/client");
  const { migrateDb } = await import("../../lib/db/migrate-configured");
  const db = databaseUrl ? openDb({ databaseUrl, poolSize: 2 }) : openDb({ pgliteDir: pgliteDirFor(dataDir) });
  try {
    await migrateDb(db);
  } finally {
    await db.close();
  }
}

export async function startApp(options: StartAppOptions): Promise<AppServer> {
  requireBuild();
  const port = options.port ?? (await freePort());
  const adminToken = options.adminToken ?? defaultAdminToken;
  if (options.migrate !== false) await migrateFor(options.databaseUrl, options.dataDir);

  const env: NodeJS.ProcessEnv = { NODE_ENV: "production" };
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith("VITEST") || k === "NODE_OPTIONS" || k === "TEST") continue;
    env[k] = v;
  }
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl ?? "",
    ADMIN_TOKEN: adminToken,
    SECRET_KEY: options.secretKey ?? defaultSecretKey,
    LOG_LEVEL: "silent",
    ...(options.env ?? {}),
  });
  delete env.PUBLIC_URL;
  if (options.env?.PUBLIC_URL) env.PUBLIC_URL = options.env.PUBLIC_URL;

  const child: ChildProcess = spawn(process.execPath, [...(process.env.APP_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", serveScript], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exitedFlag = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exitedFlag = true;
      resolve();
    });
  });
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;

  const server: AppServer = {
    url,
    port,
    pid,
    adminToken,
    rssKb: () => groupRssKb(pid),
    exited: () => exitedFlag,
    output: () => lines.join("\n"),
    async kill() {
      if (!exitedFlag && process.env.APP_NODE_ARGS) {
        // Profilers (--cpu-prof, --heap-prof) write their files only on an orderly exit.
        process.kill(pid, "SIGTERM");
        await Promise.race([exit, sleep(10_000)]);
      }
      if (!exitedFlag) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // the group is gone already
        }
        await Promise.race([exit, sleep(10_000)]);
      }
      live.delete(server);
    },
  };
  live.add(server);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exitedFlag) {
      live.delete(server);
      throw new Error(`the app exited before it was ready (port ${port}):\n${server.output()}`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await response.text();
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`the app did not answer /api/health with 200 within ${options.readyTimeoutMs ?? 60_000} ms:\n${server.output()}`);
    }
    await sleep(150);
  }
}

/** Every pid on the machine (Linux /proc). */
export function allPids(): number[] {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** The fields of /proc/<pid>/stat after `pid (comm)`: [0] state, [2] pgrp, [11] utime, [12] stime; null once gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may contain spaces and parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // exited meanwhile
  }
}

/** Pids whose process group is `pgid` (Linux /proc). */
export function groupPids(pgid: number): number[] {
  return allPids().filter((pid) => Number(statFields(pid)?.[2]) === pgid);
}

/** CPU seconds (user + system) the given processes have used so far; vanished ones count 0. */
export function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100; // USER_HZ
}

export function rssKbOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function groupRssKb(pgid: number): number {
  return groupPids(pgid).reduce((sum, pid) => sum + rssKbOf(pid), 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Admin API call with the Bearer token; JSON in, parsed JSON (or text) out. */
export async function adminFetch(
  server: Pick<AppServer, "url" | "adminToken">,
  pathname: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const response = await fetch(`${server.url}${pathname}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(init.headers ?? {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export interface CreatedEndpoint {
  id: string;
  provider: string;
  secret: string | null;
  url: string;
}

/** One endpoint per provider through the real API. */
export async function createEndpoints(server: Pick<AppServer, "url" | "adminToken">, providers: readonly string[]): Promise<Record<string, CreatedEndpoint>> {
  const out: Record<string, CreatedEndpoint> = {};
  for (const provider of providers) {
    const r = await adminFetch(server, "/api/endpoints", { method: "POST", body: { provider, name: `fault ${provider}` } });
    if (r.status !== 201) throw new Error(`creating the ${provider} endpoint: ${r.status} ${r.text.slice(0, 300)}`);
    out[provider] = { id: r.json.id, provider, secret: r.json.secret ?? null, url: r.json.url };
  }
  return out;
}
