import { handleWebhook } from "@/lib/http/webhook-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

// Talview lets the subscriber choose POST, PUT or PATCH; the provider module decides which it accepts.
const handler = async (request: Request, { params }: Context) => handleWebhook(request, (await params).endpointId);
export { handler as POST, handler as PUT, handler as PATCH };
