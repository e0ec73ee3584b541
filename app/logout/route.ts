import { handleLogout } from "@/lib/api/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = handleLogout;
export const POST = handleLogout;
