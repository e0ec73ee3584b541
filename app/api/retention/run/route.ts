import { handleRunRetention } from "@/lib/api/retention";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Audited by the handler, with the run's counts.
export const POST = adminRoute(handleRunRetention, "write");
