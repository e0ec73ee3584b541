import { analyticsJobsQuerySchema } from "@/lib/contracts/analytics";
import { getAnalyticsJobs } from "@/lib/analytics/service";
import { adminRoute, readQuery } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The jobs and providers the analytics page offers to pick from. */
export const GET = adminRoute(async ({ sql, url }) => getAnalyticsJobs(sql, readQuery(url, analyticsJobsQuerySchema)), "read");
