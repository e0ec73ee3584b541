/** Talview's subscription keys and what each means here; client-safe (the catalog's setup lists them). */
export const talviewEvents = {
  "can.candidate.created": "created",
  "can.candidate.updated": "updated",
  "can.candidate.deleted": "deleted",
} as const;
