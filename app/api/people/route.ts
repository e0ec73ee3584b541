import { handleListPeople } from "@/lib/api/people";
import { adminRoute } from "@/lib/http/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = adminRoute(handleListPeople, "read");
