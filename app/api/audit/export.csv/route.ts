import { handleExportAudit } from "@/lib/api/audit";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleExportAudit, "admin");
