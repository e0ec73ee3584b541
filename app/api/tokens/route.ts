import { handleCreateToken, handleListTokens } from "@/lib/api/tokens";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListTokens, "read");
export const POST = adminRoute(handleCreateToken, { permission: "read", audit: "token.create" });
