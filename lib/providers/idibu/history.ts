import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for idibu: the snapshot is `payload` (the candidate), whether it came as JSON
 * or form-encoded. See the path and pattern syntax in lib/history/types.ts.
 */
export const idibuHistory: HistoryConfig = {
  arrayKeys: {
    vacancies: ["id"],
    attachments: ["file_id"],
  },
  // Direct download links, signed per delivery.
  noise: ["attachments[].file_link"],
};
