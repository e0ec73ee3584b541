import { handleHealth } from "@/lib/api/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = handleHealth;
