import { ashbyCatalog } from "./ashby/catalog";
import { greenhouseCatalog } from "./greenhouse/catalog";
import { idibuCatalog } from "./idibu/catalog";
import { leverCatalog } from "./lever/catalog";
import { outhireCatalog } from "./outhire/catalog";
import { talviewCatalog } from "./talview/catalog";
import type { ProviderCatalogEntry } from "./types";

/**
 * Every provider the app knows, client-safe: ids, names, colours, setup steps. Adding a provider: a
 * folder under lib/providers with its catalog.ts and provider.ts, a line here and a line in registry.ts
 * (which the type checker holds to this list). Nothing else outside the folder names a provider.
 */
export const providerCatalog = [greenhouseCatalog, talviewCatalog, idibuCatalog, outhireCatalog, leverCatalog, ashbyCatalog] as const satisfies readonly ProviderCatalogEntry[];

export type ProviderId = (typeof providerCatalog)[number]["id"];

export const providerIds = providerCatalog.map((p) => p.id) as unknown as readonly [ProviderId, ...ProviderId[]];

const byId = new Map<string, ProviderCatalogEntry>(providerCatalog.map((p) => [p.id, p]));

export function isProviderId(id: string): id is ProviderId {
  return byId.has(id);
}

/** The catalog entry of a provider id, or null for an id the app does not know (old rows, typos). */
export function getProviderEntry(id: string): ProviderCatalogEntry | null {
  return byId.get(id) ?? null;
}

/** The provider's display name; an unknown id is shown as it is. */
export function providerLabel(id: string): string {
  return byId.get(id)?.displayName ?? id;
}
