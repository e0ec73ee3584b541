import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The dashboard's client code (files marked "use client", and everything they import) reaches the
 * API's contracts (lib/contracts: zod schemas and their types) and client-safe helpers, never the
 * server's handlers, queries or ingest: those hold database access, secrets and Node built-ins, and a
 * slip would either break the browser bundle or ship server code to it. Type-only imports are erased
 * at build time and do not count.
 */
const root = path.resolve(import.meta.dirname, "../..");
const SERVER_ONLY = ["lib/api/", "lib/db/", "lib/ingest/", "lib/http/", "lib/erasure/", "lib/retention/", "lib/jobs/", "lib/auth/session", "lib/auth/passwords", "lib/auth/oidc"];

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    return statSync(path.join(root, rel)).isDirectory() ? filesUnder(rel) : /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.join(path.dirname(from), spec);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return path.normalize(candidate);
  }
  return null;
}

/** Value imports and re-exports of a module (`import type` / `export type` left out). */
function valueImports(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/gms)) {
    if (m[2]) continue;
    // `import { type A, type B } from` is type-only too
    const names = /\{([^}]*)\}/.exec(m[3])?.[1];
    if (names && !/^\s*\*|\w+\s*,\s*\{/.test(m[3]) && names.split(",").every((n) => !n.trim() || n.trim().startsWith("type "))) continue;
    specs.push(m[4]);
  }
  for (const m of text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) specs.push(m[1]);
  return specs;
}

describe("client code reaches contracts, never server modules", () => {
  const clientFiles = [...filesUnder("components"), ...filesUnder("app"), ...filesUnder("lib")].filter((f) =>
    /^\s*["']use client["']/.test(readFileSync(path.join(root, f), "utf8")),
  );

  it("finds the dashboard's client components", () => {
    expect(clientFiles.length).toBeGreaterThan(20);
  });

  it("imports nothing from lib/api, lib/db, ingest, http, erasure or Node built-ins, directly or through another module", () => {
    const offending: string[] = [];
    const seen = new Set<string>();
    const walk = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of valueImports(file)) {
        if (spec.startsWith("node:")) offending.push([...chain, file, spec].join(" → "));
        const target = resolveImport(file, spec);
        if (!target) continue;
        if (SERVER_ONLY.some((p) => target.startsWith(p))) offending.push([...chain, file, target].join(" → "));
        else walk(target, [...chain, file]);
      }
    };
    for (const file of clientFiles) walk(file, []);
    expect(offending).toEqual([]);
  });

  it("would notice a client file importing a handler (the check itself works)", () => {
    expect(SERVER_ONLY.some((p) => (resolveImport("components/x.tsx", "@/lib/api/reads") ?? "").startsWith(p))).toBe(true);
    expect(valueImports("lib/contracts/stats.ts")).toContain("./responses");
  });
});
