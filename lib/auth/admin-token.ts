import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { makeDataDirPrivate } from "../private-files";
import path from "node:path";
import { getEnv } from "../env";

export interface AdminTokenSource {
  token: string;
  /** "env" when ADMIN_TOKEN is set, else the file it was read from or generated into. */
  source: "env" | "file";
  file: string | null;
  generated: boolean;
}

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, "admin-token");
}

/**
 * ADMIN_TOKEN from the environment, else a token generated once into DATA_DIR (mode 0600).
 * Several instances behind a load balancer must share ADMIN_TOKEN through the environment.
 */
export function loadAdminToken(env = getEnv()): AdminTokenSource {
  if (env.ADMIN_TOKEN) return { token: env.ADMIN_TOKEN, source: "env", file: null, generated: false };
  const file = adminTokenFile(env.dataDir);
  if (existsSync(file)) {
    const token = readFileSync(file, "utf8").trim();
    if (token.length >= 16) return { token, source: "file", file, generated: false };
  }
  makeDataDirPrivate(env.dataDir);
  const token = `adm_${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: "file", file, generated: true };
}

let cachedToken: string | null = null;

export function getAdminToken(): string {
  cachedToken ??= loadAdminToken().token;
  return cachedToken;
}

/** Hashing both sides first gives equal lengths, so the comparison is constant-time whatever is sent. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? match[1] : null;
}
