import { handleDeleteUser, handleUpdateUser } from "@/lib/api/users";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const PATCH = adminRoute<{ id: string }>(handleUpdateUser, { permission: "admin", audit: "user.update" });
export const DELETE = adminRoute<{ id: string }>(handleDeleteUser, { permission: "admin", audit: "user.remove" });
