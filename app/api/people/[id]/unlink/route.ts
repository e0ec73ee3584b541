import { handleUnlinkPerson } from "@/lib/api/people";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleUnlinkPerson, { permission: "write", audit: "person.unlink" });
