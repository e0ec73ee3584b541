import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for Outhire: the snapshot is the webhook's `candidate` object. Note that the two
 * documented events carry different field sets (candidate.stage_changed has no phone, fit_score,
 * applied_at, resume_url or resume_data), so diffing an applied snapshot against a stage_changed one
 * reports those fields as `removed`. See the path and pattern syntax in lib/history/types.ts.
 */
export const outhireHistory: HistoryConfig = {
  // No documented arrays; resume_data has no documented shape and gets the default strategies.
  arrayKeys: {},
  // Signed URL that expires after 24 hours.
  noise: ["resume_url"],
  // stage_changed repeats only id, public_id, name, email and url of the candidate.
  partialSnapshots: ["candidate.stage_changed"],
};
