import { handleExportEvents } from "@/lib/api/export";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 3600;
export const GET = adminRoute(handleExportEvents, { permission: "export", audit: "export.events" });
