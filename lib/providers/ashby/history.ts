import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for Ashby: the snapshot is the full Application object, so consecutive
 * deliveries diff field by field. See the path and pattern syntax in lib/history/types.ts.
 */
export const ashbyHistory: HistoryConfig = {
  arrayKeys: {
    customFields: ["id"],
    hiringTeam: ["userId"],
  },
  // Bookkeeping: changes with every delivery.
  noise: ["updatedAt", "creditedToUser.updatedAt"],
};
