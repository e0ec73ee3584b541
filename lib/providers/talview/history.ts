import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for Talview: the snapshot is the full candidate row with its subordinate
 * arrays (each record has a numeric `id`; `projects` nests `technologies`). See the path and
 * pattern syntax in lib/history/types.ts.
 */
export const talviewHistory: HistoryConfig = {
  arrayKeys: {
    attachments: ["id"],
    contacts: ["id"],
    calendars: ["id"],
    education: ["id"],
    experiences: ["id"],
    certifications: ["id"],
    preferred_locations: ["id"],
    projects: ["id"],
    "projects[].technologies": ["id"],
    skill_proficiencies: ["id"],
    social_media_links: ["id"],
    // experiences[].responsibilities / tools_used are JSONB arrays of unknown shape: default strategy
    // (sets when they hold scalars).
  },
  // Subordinate bubble-up touches the root's updated_at on every change; every row carries the pair.
  noise: ["**.updated_at", "**.updated_by"],
};
