import { handleDeleteEndpoint, handleGetEndpoint, handleUpdateEndpoint } from "@/lib/api/endpoints";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute<{ id: string }>(handleGetEndpoint, "read");
export const PATCH = adminRoute<{ id: string }>(handleUpdateEndpoint, { permission: "write", audit: "endpoint.update" });
export const DELETE = adminRoute<{ id: string }>(handleDeleteEndpoint, { permission: "write", audit: "endpoint.delete" });
