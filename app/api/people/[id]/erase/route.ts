import { handleErasePerson } from "@/lib/api/erasure";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Audited by the erasure itself, in its transaction.
export const POST = adminRoute<{ id: string }>(handleErasePerson, "write");
