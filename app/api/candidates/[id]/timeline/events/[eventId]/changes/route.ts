import { handleEventChanges } from "@/lib/api/timeline";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute<{ id: string; eventId: string }>(handleEventChanges, "read");
