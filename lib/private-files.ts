import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * DATA_DIR holds the database, the admin token and the key that decrypts endpoint secrets: only
 * its owner may read it. The umask covers every file this process creates from now on (PGlite's
 * WAL segments included); the walk fixes what an older version, or another umask, left behind.
 */
export function makeDataDirPrivate(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictTree(dataDir);
}

function restrictTree(target: string): void {
  const stat = lstatSync(target);
  if (stat.isSymbolicLink()) return; // chmod would follow it out of DATA_DIR
  if ((stat.mode & 0o077) !== 0) chmodSync(target, stat.mode & 0o700);
  if (stat.isDirectory()) for (const entry of readdirSync(target)) restrictTree(path.join(target, entry));
}
