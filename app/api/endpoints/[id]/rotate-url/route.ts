import { handleRotateUrl } from "@/lib/api/endpoints";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleRotateUrl, { permission: "write", audit: "endpoint.rotate-url" });
