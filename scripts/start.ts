// `npm start`: build when the sources are newer than the last build, apply migrations, make sure
// an admin token exists, then serve on PORT (and HOST). Runs with no database server (embedded PGlite).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { loadAdminToken } from "../lib/auth/admin-token";
import { loadSecretKey } from "../lib/auth/secret-box";
import { migrateConfiguredDb } from "../lib/db/migrate-configured";
import { waitForDatabase } from "../lib/db/wait-for-database";
import { getEnv } from "../lib/env";
import { serve } from "./serve";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function needsBuild(): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

/** A start-up failure is one clear line and a non-zero exit, not a stack trace. */
function fail(reason: string): never {
  console.error(`cannot start: ${reason}`);
  process.exit(1);
}

let env: ReturnType<typeof getEnv>;
try {
  env = getEnv();
} catch (error) {
  fail((error as Error).message);
}

// Before a build that can take minutes: an unreachable database is waited for, then a clear exit.
if (env.DATABASE_URL) {
  await waitForDatabase({ databaseUrl: env.DATABASE_URL, waitMs: env.DATABASE_WAIT_SECONDS * 1000, say: (line) => console.log(line) }).catch((error: Error) => fail(error.message));
}

if (needsBuild()) {
  console.log("building the app (sources changed since the last build)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: childEnv });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const token = loadAdminToken(env);
if (token.source === "env") console.log("admin token: from ADMIN_TOKEN");
else if (token.generated) console.log(`admin token (generated, saved to ${token.file}): ${token.token}`);
else console.log(`admin token: stored in ${token.file}`);

const secretKey = loadSecretKey(env);
console.log(
  secretKey.source === "env"
    ? "secret key: from SECRET_KEY"
    : `secret key: ${secretKey.generated ? "generated into" : "stored in"} ${secretKey.file} (encrypts endpoint secrets; back it up with the database)`,
);

console.log(env.DATABASE_URL ? "database: PostgreSQL (DATABASE_URL)" : `database: embedded PGlite in ${path.join(env.dataDir, "pglite")}`);
const applied = await migrateConfiguredDb().catch((error: Error) => fail(`applying migrations failed: ${error.message}`));
console.log(applied.length ? `migrations applied: ${applied.join(", ")}` : "migrations: up to date");

// Served from this process: Next.js for the dashboard, webhooks straight to lib/ (scripts/serve.ts).
await serve({ port: env.PORT, host: env.HOST });
