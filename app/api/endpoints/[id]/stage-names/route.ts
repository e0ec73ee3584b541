import { handleGetStageNames, handlePutStageNames } from "@/lib/api/stage-names";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute<{ id: string }>(handleGetStageNames, "read");
export const PUT = adminRoute<{ id: string }>(handlePutStageNames, { permission: "write", audit: "endpoint.stage-names" });
