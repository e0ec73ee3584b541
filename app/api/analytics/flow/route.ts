import { analyticsQuerySchema } from "@/lib/contracts/analytics";
import { analyticsFilters, csvResponse, flowCsv, getFlow } from "@/lib/analytics/service";
import { adminRoute, readQuery } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Entries per stage per week, and hires, rejections and withdrawals per week (README "Pipeline analytics"). */
export const GET = adminRoute(async ({ sql, url }) => {
  const query = readQuery(url, analyticsQuerySchema);
  const flow = await getFlow(sql, analyticsFilters(query));
  return query.format === "csv" ? csvResponse("flow", query, flowCsv(flow)) : flow;
}, "read");
