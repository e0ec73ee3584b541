import { handleTestDelivery } from "@/lib/api/test-delivery";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleTestDelivery, { permission: "write", audit: "endpoint.test-delivery" });
