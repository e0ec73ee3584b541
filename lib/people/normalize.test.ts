import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizeName, normalizePhone, normalizePhones } from "./normalize";

describe("People's identity rules", () => {
  it("email: trimmed and lower-cased, empty is none; nothing else is rewritten (dots, plus tags stay)", () => {
    expect(normalizeEmail("  Ada.Lovelace@Example.COM\n")).toBe("ada.lovelace@example.com");
    expect(normalizeEmail("ada+jobs@example.com")).toBe("ada+jobs@example.com");
    expect(normalizeEmail("a.da@example.com")).not.toBe(normalizeEmail("ada@example.com"));
    expect(normalizeEmail("   ")).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
    // An anonymized or placeholder value is no address: it must not link strangers together.
    expect(normalizeEmail("[anonymized]")).toBeNull();
    expect(normalizeEmail("n/a")).toBeNull();
  });

  it("name: case and runs of whitespace do not count; accents and punctuation do", () => {
    expect(normalizeName(" Ada   LOVELACE ")).toBe("ada lovelace");
    expect(normalizeName("Zoë d'Arc")).not.toBe(normalizeName("Zoe d'Arc"));
    expect(normalizeName("")).toBeNull();
  });

  it("phone: E.164 when valid with a country code; national numbers only with a default country", () => {
    expect(normalizePhone("+1 (415) 555-0123")).toBe("+14155550123");
    expect(normalizePhone("+61 400 000 000")).toBe("+61400000000");
    expect(normalizePhone("(415) 555-0123")).toBeNull();
    expect(normalizePhone("(415) 555-0123", "US")).toBe("+14155550123");
    expect(normalizePhone("call me")).toBeNull();
    expect(normalizePhone("+1".padEnd(100, "5"))).toBeNull();
    expect(normalizePhones(["+14155550123", "+1 415 555 0123", 42, null, "nope"])).toEqual(["+14155550123"]);
  });
});
