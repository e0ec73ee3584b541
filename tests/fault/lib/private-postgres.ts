/**
 * A throwaway PostgreSQL server of our own (initdb into a temp dir, trust auth, loopback only, its
 * own port and socket dir) so a test can stop and start it without touching the machine's shared
 * server. As root, the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../helpers/app-server";

export interface PrivatePostgres {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string;
  urlFor(database: string): string;
  start(): void;
  /** `pg_ctl stop -m immediate`: the server dies without a checkpoint, like a crash. */
  stopImmediate(): void;
  /** Stops (if running) and removes the data directory. Never throws. */
  destroy(): void;
  log(): string;
}

export function findPgBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin/initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
  return path.join(base, versions[0], "bin");
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPgBin();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "fault-pg-"));
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  let uid: number | null = null;
  if (isRoot) {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  };
  const port = await freePort();
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  let running = false;
  const server: PrivatePostgres = {
    port,
    dir,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      run("pg_ctl", [
        "-D", dataDir, "-l", logFile, "-w", "-t", "30",
        "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
        "start",
      ]);
      running = true;
    },
    stopImmediate() {
      run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
      running = false;
    },
    destroy() {
      try {
        if (running || existsSync(path.join(dataDir, "postmaster.pid"))) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
      } catch {
        // not running
      }
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : ""),
  };
  return server;
}
