import { dbEndpointCreator } from "@/lib/demo/db-endpoints";
import { runDemo } from "@/lib/demo/run-demo";
import { adminRoute } from "@/lib/http/admin-route";
import { jsonResponse } from "@/lib/http/json";
import { publicOrigin } from "@/lib/http/origin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Loads demo data: one "(demo)" endpoint per provider, then 12 simulated candidate histories each, posted
 * over HTTP to this server's own public origin, through the real webhook route.
 */
export const POST = adminRoute(async ({ request, prisma }) => {
  const result = await runDemo({ baseUrl: publicOrigin(request), createEndpoint: dbEndpointCreator(prisma) });
  return jsonResponse(result.ok ? 201 : 502, result);
}, { permission: "write", audit: "demo.load" });
