import { handleDeleteSession } from "@/lib/api/tokens";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const DELETE = adminRoute<{ id: string }>(handleDeleteSession, { permission: "read", audit: "session.revoke" });
