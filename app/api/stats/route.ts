import { getOverviewStats } from "@/lib/db/stats";
import { adminRoute, readQuery } from "@/lib/http/admin-route";
import { ATTENTION_REJECT_WINDOW_DAYS, STATS_DAYS } from "@/lib/api/stats";
import { statsQuerySchema } from "@/lib/api/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The overview's numbers: totals, last 24 h by status, 14 days of activity, recent events, endpoints needing attention. */
export const GET = adminRoute(({ prisma, url }) =>
  getOverviewStats(prisma, { days: STATS_DAYS, rejectWindowDays: ATTENTION_REJECT_WINDOW_DAYS, includeTest: readQuery(url, statsQuerySchema).includeTest }),
  "read",
);
