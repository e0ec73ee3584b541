import { handleAcceptSuggestion } from "@/lib/api/people";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = adminRoute<{ id: string }>(handleAcceptSuggestion, { permission: "write", audit: "person.suggestion.accept" });
