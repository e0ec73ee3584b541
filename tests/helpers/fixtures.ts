import { readFileSync } from "node:fs";
import path from "node:path";
import type { ProviderFixture, ProviderId } from "@/lib/providers/types";

export function readFixture(provider: ProviderId, fixture: ProviderFixture | string): Buffer {
  const file = typeof fixture === "string" ? fixture : fixture.file;
  return readFileSync(path.join(import.meta.dirname, "../../lib/providers", provider, file));
}

export function fixtureQuery(fixture: ProviderFixture): string {
  return fixture.query ? `?${new URLSearchParams(fixture.query)}` : "";
}
