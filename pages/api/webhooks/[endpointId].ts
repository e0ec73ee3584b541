import type { NextApiRequest, NextApiResponse } from "next";
import { handleWebhook } from "@/lib/http/webhook-handler";

/*
 * The one Pages Router route: webhooks are the hot path, and a Pages API route hands over Node's
 * request and response as they are, where an App Router handler first builds a web Request and
 * stream around them — about half the framework's CPU per delivery (see README, Performance).
 * Everything else is in app/.
 */
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

export default function webhook(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  return handleWebhook(req, res, String(req.query.endpointId));
}
