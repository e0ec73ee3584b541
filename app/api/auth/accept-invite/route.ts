import { handleAcceptInvite } from "@/lib/api/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const POST = handleAcceptInvite;
