import { analyticsQuerySchema } from "@/lib/contracts/analytics";
import { analyticsFilters, csvResponse, funnelCsv, getFunnel } from "@/lib/analytics/service";
import { adminRoute, readQuery } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The job's funnel: reached, conversion to the next stage, where applications left (README "Pipeline analytics"). */
export const GET = adminRoute(async ({ sql, url }) => {
  const query = readQuery(url, analyticsQuerySchema);
  const funnel = await getFunnel(sql, analyticsFilters(query));
  return query.format === "csv" ? csvResponse("funnel", query, funnelCsv(funnel)) : funnel;
}, "read");
