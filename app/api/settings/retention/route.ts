import { handleGetRetention, handlePutRetention } from "@/lib/api/retention";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleGetRetention, "write");
export const PUT = adminRoute(handlePutRetention, { permission: "write", audit: "retention.settings" });
