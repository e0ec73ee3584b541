import { handleSsoCallback } from "@/lib/api/sso";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = handleSsoCallback;
