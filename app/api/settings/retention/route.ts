import { handleGetRetention, handlePutRetention } from "@/lib/api/retention";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleGetRetention, "admin");
export const PUT = adminRoute(handlePutRetention, { permission: "admin", audit: "retention.settings" });
