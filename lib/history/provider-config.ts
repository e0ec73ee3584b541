/**
 * Which HistoryConfig folds a provider's snapshots: the provider's own (lib/providers/<id>/history.ts)
 * or the default. The one lookup the timeline, the export and the changed-paths fill share, so the
 * three always diff with the same rules.
 */
import { getProvider, providers } from "../providers/registry";
import { changedPathsVersion } from "./changed-paths";
import { defaultHistoryConfig } from "./diff";
import type { HistoryConfig } from "./types";

export function historyConfigFor(provider: string): HistoryConfig {
  return getProvider(provider)?.history ?? defaultHistoryConfig;
}

/** The version of the running code's rules and provider configurations (stored with each changed-paths value). */
export const CURRENT_CHANGED_PATHS_VERSION = changedPathsVersion(
  Object.fromEntries(Object.entries(providers).map(([id, p]) => [id, p.history ?? defaultHistoryConfig])),
  defaultHistoryConfig,
);
