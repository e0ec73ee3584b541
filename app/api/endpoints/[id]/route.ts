import { handleDeleteEndpoint, handleGetEndpoint, handleUpdateEndpoint } from "@/lib/api/endpoints";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute<{ id: string }>(handleGetEndpoint);
export const PATCH = adminRoute<{ id: string }>(handleUpdateEndpoint);
export const DELETE = adminRoute<{ id: string }>(handleDeleteEndpoint);
