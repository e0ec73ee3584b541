import { handleExportDeliveries } from "@/lib/api/export";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 3600;
export const GET = adminRoute(handleExportDeliveries, { permission: "export", audit: "export.deliveries" });
