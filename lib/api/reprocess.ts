import type { AdminContext } from "../http/admin-route";
import { reprocessAll } from "../ingest/reprocess-all";

/**
 * Runs the whole rebuild in the request and streams progress as NDJSON lines
 * (`{"done","total","failed"}` …, then the result), so a client can draw a progress bar.
 */
export async function handleReprocessAll({ prisma, sql }: AdminContext<unknown>) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (value: object) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const result = await reprocessAll({ prisma, sql }, { onProgress: (p) => send({ type: "progress", ...p }) });
        send({ type: "result", ...result });
      } catch (error) {
        send({ type: "error", message: error instanceof Error ? error.message : String(error) });
      }
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
