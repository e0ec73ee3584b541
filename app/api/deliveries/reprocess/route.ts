import { handleBulkReprocess } from "@/lib/api/bulk-reprocess";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 3600;
export const POST = adminRoute(handleBulkReprocess, { permission: "write", audit: "delivery.reprocess-filtered" });
