import { handleDeleteToken } from "@/lib/api/tokens";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const DELETE = adminRoute<{ id: string }>(handleDeleteToken, { permission: "read", audit: "token.revoke" });
