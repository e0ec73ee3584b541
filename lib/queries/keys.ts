/** Events per timeline page, shared by the client hook and the server-side prefetch. */
export const TIMELINE_PAGE_SIZE = 50;

/** react-query key factories: one place names every cached resource. */
export const queryKeys = {
  candidates: {
    all: ["candidates"] as const,
    list: (filters: Record<string, string | undefined>) => ["candidates", "list", filters] as const,
    detail: (id: string) => ["candidates", "detail", id] as const,
    timeline: (id: string, noise: boolean) => ["candidates", "timeline", id, { noise }] as const,
    eventChanges: (id: string, eventId: string, noise: boolean, offset: number) =>
      ["candidates", "event-changes", id, eventId, { noise, offset }] as const,
  },
  deliveries: {
    all: ["deliveries"] as const,
    list: (filters: Record<string, string | undefined>) => ["deliveries", "list", filters] as const,
    detail: (id: string) => ["deliveries", "detail", id] as const,
  },
  endpoints: { all: ["endpoints"] as const },
  exportCount: (href: string) => ["candidates", "export-count", href] as const,
  stats: { overview: ["stats", "overview"] as const },
};
