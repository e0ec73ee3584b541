import { handleCreateUser, handleListUsers } from "@/lib/api/users";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListUsers, "admin");
export const POST = adminRoute(handleCreateUser, { permission: "admin", audit: "user.invite" });
