import { handleReinviteUser } from "@/lib/api/users";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleReinviteUser, { permission: "admin", audit: "user.reinvite" });
