import { handleRotateSecret } from "@/lib/api/endpoints";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleRotateSecret, { permission: "write", audit: "endpoint.rotate-secret" });
