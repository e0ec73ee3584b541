import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for Lever: the snapshot is the event's `data` (ids only). Each event carries
 * its own few ids, so every event is partial: an id it does not repeat is unknown, not removed.
 */
export const leverHistory: HistoryConfig = {
  arrayKeys: {},
  noise: [],
  partialSnapshots: ["applicationCreated", "candidateStageChange", "candidateArchiveChange", "candidateHired", "candidateDeleted"],
};
