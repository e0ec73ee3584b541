import { handleCreateEndpoint, handleListEndpoints } from "@/lib/api/endpoints";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListEndpoints, "read");
export const POST = adminRoute(handleCreateEndpoint, { permission: "write", audit: "endpoint.create" });
