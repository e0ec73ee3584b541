import { describe, expect, it } from "vitest";
import { getProviderEntry, isProviderId, providerCatalog, providerIds, providerLabel } from "./catalog";
import { getProvider, providers } from "./registry";

describe("the provider catalog and the registry", () => {
  it("list the same providers in the same order, each registry entry carrying its own catalog entry", () => {
    expect(Object.keys(providers)).toEqual([...providerIds]);
    for (const entry of providerCatalog) {
      const provider = getProvider(entry.id)!;
      expect(provider.id).toBe(entry.id);
      expect(provider.displayName).toBe(entry.displayName);
      expect(provider.signs).toBe(entry.signs);
      expect(provider.setup).toBe(entry.setup);
    }
  });

  it("gives every provider its own name and chart colour, and setup steps naming its events and signature", () => {
    expect(new Set(providerCatalog.map((p) => p.displayName)).size).toBe(providerCatalog.length);
    expect(new Set(providerCatalog.map((p) => p.color)).size).toBe(providerCatalog.length);
    for (const p of providerCatalog) {
      expect(p.color, p.id).toMatch(/^bg-[a-z]+-\d{3}$/);
      expect(p.setup.events.length, p.id).toBeGreaterThan(0);
      expect(p.setup.whereToPaste.length, p.id).toBeGreaterThan(40);
      expect(p.setup.signature.length, p.id).toBeGreaterThan(40);
    }
  });

  it("answers unknown ids (old rows, typos) without throwing: not a provider, shown as they are", () => {
    expect(isProviderId("workday")).toBe(false);
    expect(getProviderEntry("workday")).toBeNull();
    expect(getProvider("workday")).toBeNull();
    expect(getProvider("__proto__")).toBeNull();
    expect(providerLabel("workday")).toBe("workday");
    expect(providerLabel("lever")).toBe("Lever");
  });
});
