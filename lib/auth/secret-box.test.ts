import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, isEncrypted, parseSecretKey, secretHint, validSecrets } from "./secret-box";

const key = randomBytes(32);
const otherKey = randomBytes(32);

describe("secret encryption at rest", () => {
  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret("whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==", "ep_1", key);
    expect(isEncrypted(stored)).toBe(true);
    expect(stored).not.toContain("c2VjcmV0");
    expect(decryptSecret(stored, "ep_1", key)).toBe("whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", "ep_1", key)).not.toBe(encryptSecret("same", "ep_1", key));
  });

  it("refuses a wrong key, a tampered ciphertext and a ciphertext moved to another endpoint", () => {
    const stored = encryptSecret("secret-value", "ep_1", key);
    expect(() => decryptSecret(stored, "ep_1", otherKey)).toThrow();
    const parts = stored.split(".");
    const flipped = Buffer.from(parts[2], "base64url");
    flipped[0] ^= 1;
    expect(() => decryptSecret([parts[0], parts[1], flipped.toString("base64url")].join("."), "ep_1", key)).toThrow();
    expect(() => decryptSecret(stored, "ep_2", key)).toThrow();
  });

  it("reads secrets stored before encryption as they are", () => {
    expect(decryptSecret("legacy-plaintext", "ep_1", key)).toBe("legacy-plaintext");
  });

  it("accepts SECRET_KEY as base64 or hex of exactly 32 bytes", () => {
    expect(parseSecretKey(key.toString("base64")).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("hex")).equals(key)).toBe(true);
    expect(() => parseSecretKey(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });

  it("shows only a short hint", () => {
    expect(secretHint("whsec_abcdefghijklmnop1234")).toBe("…1234");
    expect(secretHint("short")).toBe("…");
  });
});

describe("rotation window", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  it("accepts the previous secret until the overlap ends, and only the new one after", () => {
    // validSecrets decrypts with the process key (generated into the test DATA_DIR).
    const live = {
      id: "ep_1",
      secret: encryptSecret("new-secret", "ep_1"),
      previousSecret: encryptSecret("old-secret", "ep_1"),
    };
    expect(validSecrets({ ...live, previousValidUntil: new Date(now.getTime() + 1000) }, now)).toEqual(["new-secret", "old-secret"]);
    expect(validSecrets({ ...live, previousValidUntil: now }, now)).toEqual(["new-secret"]);
    expect(validSecrets({ ...live, previousValidUntil: null }, now)).toEqual(["new-secret"]);
  });
});
