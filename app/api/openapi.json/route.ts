import { buildOpenApiDocument } from "@/lib/api/openapi";
import { adminRoute } from "@/lib/http/admin-route";
import { publicOrigin } from "@/lib/http/origin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(async ({ request }) => buildOpenApiDocument(publicOrigin(request)), "read");
