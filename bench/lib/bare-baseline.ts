/**
 * The physical baseline for the ingest benchmark: a bare `node:http` server that does the least a
 * webhook receiver that keeps what it acknowledges must do — read the body (≤ 1 MiB), store it raw
 * with ONE `INSERT` into PostgreSQL (a pool of 10 connections, as each app instance opens), answer
 * 200 JSON. No framework, no verification, no idempotency, no parsing.
 *
 * As a module: `startBareBaseline({ databaseUrl })` runs it in a child process (its own event loop
 * and CPU, like the app) and resolves when it listens. As a script (what the child runs):
 * `BARE_DATABASE_URL=… BARE_PORT=… node --import tsx bench/lib/bare-baseline.ts`.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const MAX_BODY = 1024 * 1024;

export const bareTableSql = `CREATE TABLE IF NOT EXISTS bare_deliveries (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL,
  received_at timestamptz(3) NOT NULL DEFAULT now(),
  headers jsonb NOT NULL,
  content_type text,
  body bytea NOT NULL
)`;

async function serve(databaseUrl: string, port: number): Promise<void> {
  const pg = (await import("pg")).default;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on("error", () => {});
  await pool.query(bareTableSql);
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.url === "/health") return answer(200, { ok: true });
    const match = /^\/api\/webhooks\/([^/?]+)/.exec(req.url ?? "");
    if (!match || req.method === "GET") return answer(404, { error: "not_found" });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        answer(413, { error: "payload_too_large" });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return;
      const id = randomUUID();
      pool
        .query("INSERT INTO bare_deliveries (id, endpoint_id, headers, content_type, body) VALUES ($1, $2, $3, $4, $5)", [
          id,
          match[1],
          JSON.stringify(req.headers),
          req.headers["content-type"] ?? null,
          Buffer.concat(chunks, size),
        ])
        .then(() => answer(200, { status: "stored", deliveryId: id }))
        .catch(() => answer(503, { error: "storage_unavailable" }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, "127.0.0.1", () => process.stdout.write(`listening ${port}\n`));
}

export interface BareBaseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startBareBaseline(options: { databaseUrl: string; port?: number }): Promise<BareBaseline> {
  const port = options.port ?? (await freePort());
  const file = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: path.resolve(path.dirname(file), "../.."),
    env: { ...process.env, BARE_DATABASE_URL: options.databaseUrl, BARE_PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!output.includes(`listening ${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
      throw new Error(`bare baseline did not start: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const databaseUrl = process.env.BARE_DATABASE_URL;
  if (!databaseUrl) {
    console.error("BARE_DATABASE_URL is required");
    process.exit(2);
  }
  await serve(databaseUrl, Number(process.env.BARE_PORT ?? 3999));
}
