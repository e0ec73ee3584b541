import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { makeDataDirPrivate } from "./private-files";

const root = mkdtempSync(path.join(tmpdir(), "private-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("makes an existing DATA_DIR and everything in it owner-only, and creates a new one 0700", () => {
  const existing = path.join(root, "existing");
  mkdirSync(path.join(existing, "pglite", "base"), { recursive: true });
  writeFileSync(path.join(existing, "pglite", "base", "1"), "x");
  chmodSync(existing, 0o755);
  chmodSync(path.join(existing, "pglite"), 0o775);
  chmodSync(path.join(existing, "pglite", "base", "1"), 0o666);
  const previous = process.umask();
  try {
    makeDataDirPrivate(existing);
    for (const p of [existing, path.join(existing, "pglite"), path.join(existing, "pglite", "base")]) expect(statSync(p).mode & 0o777, p).toBe(0o700);
    expect(statSync(path.join(existing, "pglite", "base", "1")).mode & 0o777).toBe(0o600);
    const fresh = path.join(root, "fresh", "data");
    makeDataDirPrivate(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    writeFileSync(path.join(fresh, "later"), "y");
    expect(statSync(path.join(fresh, "later")).mode & 0o777).toBe(0o600); // the umask
  } finally {
    process.umask(previous);
  }
});
