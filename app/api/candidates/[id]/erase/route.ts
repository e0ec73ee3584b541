import { handleEraseCandidate } from "@/lib/api/erasure";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Audited by the erasure itself, in its transaction and without the confirming provider id.
export const POST = adminRoute<{ id: string }>(handleEraseCandidate, "write");
