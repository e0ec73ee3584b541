/**
 * Probe: `npm start` with PostgreSQL unreachable (issue 14, item 7). It must retry with one line
 * per attempt, then exit non-zero with one clear reason and no stack trace. The database is waited
 * for before any build, so this runs scripts/start.ts itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { freePort, repoRoot } from "../helpers/app-server";

it("start-up retries an unreachable PostgreSQL, then exits 1 with a one-line reason", async () => {
  const port = await freePort(); // nothing listens there
  const dataDir = mkdtempSync(path.join(tmpdir(), "security-startup-"));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/start.ts")], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: `postgres://postgres:not-this-password@127.0.0.1:${port}/app`,
        DATABASE_WAIT_SECONDS: "5",
        DATA_DIR: dataDir,
        ADMIN_TOKEN: "startup-admin-token-0123456789",
        SECRET_KEY: "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
        PORT: String(await freePort()),
        LOG_LEVEL: "silent",
      },
    });
    const out = `${run.stdout}${run.stderr}`;
    expect(run.status, out).toBe(1);
    const retries = out.split("\n").filter((l) => l.includes("not reachable") && l.includes("retrying"));
    expect(retries.length, out).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(new RegExp(`cannot start: the database at 127\\.0\\.0\\.1:${port}/app is unreachable \\(.*ECONNREFUSED.*\\); gave up after \\d+ attempts`));
    expect(out).not.toMatch(/^\s+at /m); // no stack trace
    expect(out).not.toContain("not-this-password");
    expect(out).not.toContain("listening on");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
