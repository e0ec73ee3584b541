import { handleReprocessDelivery } from "@/lib/api/reads";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleReprocessDelivery, { permission: "write", audit: "delivery.reprocess" });
