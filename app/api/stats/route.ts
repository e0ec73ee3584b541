import { handleOverviewStats } from "@/lib/api/overview";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The overview's numbers: totals, last 24 h by status, 14 days of activity, recent events, endpoints needing attention. */
export const GET = adminRoute(handleOverviewStats, "read");
