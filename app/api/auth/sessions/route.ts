import { handleRevokeAllSessions } from "@/lib/api/auth";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const DELETE = adminRoute(handleRevokeAllSessions, { permission: "admin", audit: "session.revoke-all" });
