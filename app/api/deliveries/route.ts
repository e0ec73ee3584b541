import { handleListDeliveries } from "@/lib/api/reads";
import { handleListRejected } from "@/lib/api/rejected-requests";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Refused requests were never stored as deliveries: `status=rejected` reads their own bounded log.
export const GET = adminRoute((ctx) => (ctx.url.searchParams.get("status") === "rejected" ? handleListRejected(ctx) : handleListDeliveries(ctx)), "read");
