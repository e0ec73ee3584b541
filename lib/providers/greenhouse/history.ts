import type { HistoryConfig } from "../../history/types";

/**
 * Field-level history for Greenhouse: the snapshot is `application.candidate` (or `payload.candidate`,
 * or the slimmer `payload.person` of delete/merge). See the path and pattern syntax in lib/history/types.ts.
 */
export const greenhouseHistory: HistoryConfig = {
  arrayKeys: {
    // Contact lists carry no ids in web hooks; the value and its type are the record.
    email_addresses: ["value", "type"],
    phone_numbers: ["value", "type"],
    addresses: ["value", "type"],
    website_addresses: ["value", "type"],
    social_media_addresses: ["value"],
    tags: "set",
    // Attachment urls are signed and change on every delivery; the file is its name and type.
    attachments: ["filename", "type"],
    // No ids in web hooks: natural keys. When every part is missing/null the array falls back to
    // id → external_id → position (`educations[0].degree`).
    educations: ["school_name", "degree"],
    employments: ["company_name", "title"],
    // custom_fields is an object keyed by field key, so it is compared key by key already;
    // multi_select values (`custom_fields.<key>.value`, an array of strings) are sets by default.
  },
  noise: [
    // S3 links signed per delivery.
    "photo_url",
    "attachments[].url",
    // Bookkeeping that Harvest-shaped candidate records carry.
    "updated_at",
    "last_activity_at",
    "last_activity",
  ],
  // The `person` of delete/merge is a slimmer record than the application's candidate.
  partialSnapshots: ["delete_candidate", "merge_candidate"],
};
