import type { NextApiRequest, NextApiResponse } from "next";
import { handleWebhook } from "@/lib/http/webhook-handler";

/*
 * The secondary webhook entry point; the place that says why there are two.
 *
 * The primary one is the custom server `npm start` runs (scripts/serve.ts → lib/http/route-requests.ts):
 * it hands `POST /api/webhooks/{id}` to lib/http/webhook-handler.ts before Next.js sees the request.
 * That is the measured-faster path: app CPU per delivery fell from 0.60 ms (through Next's request
 * handling) to 0.31 ms when webhooks left the framework (README, How it works; bench/ingest.bench.ts
 * measures the served app). Production, the e2e suite, the fault suite and the benchmarks use it.
 *
 * This route exists because `next dev` and `next start` run no custom server: without it they would
 * take no deliveries. It calls the same handler, and tests/integration/serve-routing.test.ts checks
 * both answer alike. It is the app's one Pages Router route because a Pages API route hands over
 * Node's request and response as they are, which that handler takes; an App Router handler would
 * first build a web Request and stream around them.
 */
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

export default function webhook(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  return handleWebhook(req, res, String(req.query.endpointId));
}
