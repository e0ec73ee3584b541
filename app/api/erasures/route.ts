import { handleListErasures } from "@/lib/api/erasure";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListErasures, "write");
