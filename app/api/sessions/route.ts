import { handleListSessions } from "@/lib/api/tokens";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListSessions, "read");
