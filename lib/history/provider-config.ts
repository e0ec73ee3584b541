/**
 * Which HistoryConfig folds a provider's snapshots: the provider's own (lib/providers/<id>/history.ts)
 * or the default. The one lookup the timeline, the export and the changed-paths fill share, so the
 * three always diff with the same rules.
 */
import { getProvider } from "../providers/registry";
import { defaultHistoryConfig } from "./diff";
import type { HistoryConfig } from "./types";

export function historyConfigFor(provider: string): HistoryConfig {
  return getProvider(provider)?.history ?? defaultHistoryConfig;
}
