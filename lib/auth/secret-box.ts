import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { makeDataDirPrivate } from "../private-files";
import path from "node:path";
import { getEnv, type AppEnv } from "../env";

const PREFIX = "enc:v1:";

/** SECRET_KEY must decode to exactly 32 bytes (AES-256); base64 or 64 hex characters. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("SECRET_KEY must be 32 bytes, written as base64 or 64 hex characters");
  return key;
}

/**
 * SECRET_KEY from the environment, else a key generated once into DATA_DIR (mode 0600).
 * Several instances must share SECRET_KEY through the environment.
 */
export function loadSecretKey(env: AppEnv = getEnv()): { key: Buffer; source: "env" | "file"; generated: boolean; file: string | null } {
  if (env.SECRET_KEY) return { key: parseSecretKey(env.SECRET_KEY), source: "env", generated: false, file: null };
  const file = path.join(env.dataDir, "secret-key");
  if (existsSync(file)) return { key: parseSecretKey(readFileSync(file, "utf8")), source: "file", generated: false, file };
  makeDataDirPrivate(env.dataDir);
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, source: "file", generated: true, file };
}

let cachedKey: Buffer | null = null;
function secretKey(): Buffer {
  cachedKey ??= loadSecretKey().key;
  return cachedKey;
}

/**
 * A key for one purpose (e.g. the keyed hashes of erased candidates), derived from SECRET_KEY with
 * HMAC-SHA256, so no two uses share key material and SECRET_KEY itself is used only for encryption.
 */
export function derivedKey(purpose: string, key = secretKey()): Buffer {
  return createHmac("sha256", key).update(`candidate-history:${purpose}`).digest();
}

/** AES-256-GCM; the endpoint id is bound in as associated data, so a ciphertext cannot be moved to another endpoint. */
export function encryptSecret(plaintext: string, endpointId: string, key = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(endpointId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${ciphertext.toString("base64url")}`;
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** Throws when the key is wrong or the value was tampered with. Plaintext from before encryption is returned as is. */
export function decryptSecret(stored: string, endpointId: string, key = secretKey()): string {
  if (!isEncrypted(stored)) return stored;
  const [iv, tag, ciphertext] = stored.slice(PREFIX.length).split(".");
  if (!iv || !tag || ciphertext === undefined) throw new Error("stored secret is malformed");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** Enough to recognise a secret, never enough to use it. */
export function secretHint(secret: string): string {
  return secret.length <= 8 ? "…" : `…${secret.slice(-4)}`;
}

/** The secrets a delivery may be signed with now: the current one, and the previous one during its overlap. */
export function validSecrets(
  endpoint: { id: string; secret: string | null; previousSecret: string | null; previousValidUntil: Date | null },
  now: Date,
): string[] {
  const secrets: string[] = [];
  if (endpoint.secret) secrets.push(decryptForIngest(endpoint.secret, endpoint.id));
  if (endpoint.previousSecret && endpoint.previousValidUntil && endpoint.previousValidUntil.getTime() > now.getTime()) {
    secrets.push(decryptForIngest(endpoint.previousSecret, endpoint.id));
  }
  return secrets;
}

/**
 * Every delivery needs its endpoint's secret: decrypted once per stored value, not per request
 * (AES-GCM setup was 2% of ingest's CPU). The process holds SECRET_KEY anyway; a rotated secret is
 * a new stored value, and failures are not remembered.
 */
const decrypted = new Map<string, string>();
function decryptForIngest(stored: string, endpointId: string): string {
  const cacheKey = `${endpointId}\n${stored}`;
  let plaintext = decrypted.get(cacheKey);
  if (plaintext === undefined) {
    plaintext = decryptSecret(stored, endpointId);
    if (decrypted.size >= 1_000) decrypted.clear();
    decrypted.set(cacheKey, plaintext);
  }
  return plaintext;
}
