import { handleDeleteTestData } from "@/lib/api/test-delivery";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const DELETE = adminRoute(handleDeleteTestData, { permission: "write", audit: "test-data.delete" });
