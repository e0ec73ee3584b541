import { handleCountExportEvents } from "@/lib/api/export";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleCountExportEvents, "read");
