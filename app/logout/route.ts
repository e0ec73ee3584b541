import { handleLogout } from "@/lib/api/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const GET = handleLogout; // 405: signing out is a POST from our own pages
export const POST = handleLogout;
