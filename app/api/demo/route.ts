import { waitForDerivedWork } from "@/lib/db/analytics-refresh";
import { getDb } from "@/lib/db/client";
import { dbEndpointCreator } from "@/lib/demo/db-endpoints";
import { runDemo } from "@/lib/demo/run-demo";
import { adminRoute } from "@/lib/http/admin-route";
import { jsonResponse } from "@/lib/http/json";
import { publicOrigin } from "@/lib/http/origin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Loads demo data: one "(demo)" endpoint per provider, then 12 simulated candidate histories each, posted
 * over HTTP to this server's own public origin, through the real webhook route. Answers once the
 * analytics summaries and People of what it sent are in too (they follow webhooks' answers), so the
 * pages opened next show all of it.
 */
export const POST = adminRoute(async ({ request, prisma }) => {
  const result = await runDemo({ baseUrl: publicOrigin(request), createEndpoint: dbEndpointCreator(prisma) });
  await waitForDerivedWork(getDb().sql);
  return jsonResponse(result.ok ? 201 : 502, result);
}, { permission: "write", audit: "demo.load" });
