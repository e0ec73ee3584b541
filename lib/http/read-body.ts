export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads the request body once, stopping as soon as it passes `limit` so an oversized or endless
 * body costs at most `limit` bytes of memory.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<ReadBodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return { ok: false, size: declared };
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, size };
    }
    chunks.push(value);
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}
