/**
 * Turns an async generator of CSV text into a byte stream that pulls one chunk (one page) at a
 * time: the database is read only as fast as the client downloads. Cancelling the stream (the
 * client went away) or aborting `signal` ends the generator, so its query loop stops.
 */
import { BOM } from "./writer";

export interface CsvStreamOptions {
  bom?: boolean;
  signal?: AbortSignal;
  /** The generator's first chunk, already read (to surface errors before the response starts). */
  first?: IteratorResult<string, void>;
  /**
   * Called once when the stream ends: `complete` when every row was sent, false when the client went
   * away or a read failed. Awaited before the last byte is released, so whoever saw the whole file
   * can rely on what it records (the export's audit entry with its row count).
   */
  onEnd?: (complete: boolean) => Promise<void> | void;
}

export function csvByteStream(chunks: AsyncGenerator<string, void, undefined>, options: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: IteratorResult<string, void> | undefined = options.first;
  let bomDue = options.bom ?? false;
  let finished = false;
  let ended = false;
  const end = async (complete: boolean) => {
    if (ended) return;
    ended = true;
    try {
      await options.onEnd?.(complete);
    } catch {
      // what it records is best effort; the download itself is not failed for it
    }
  };
  const stop = () => {
    if (finished) return;
    finished = true;
    void chunks.return(undefined).catch(() => {});
    void end(false);
  };
  const onAbort = () => stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const cleanup = () => options.signal?.removeEventListener("abort", onAbort);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (finished) {
            cleanup();
            await end(false);
            controller.close();
            return;
          }
          const next = pending ?? (await chunks.next());
          pending = undefined;
          if (next.done || finished) {
            const complete = !finished;
            finished = true;
            cleanup();
            await end(complete);
            if (bomDue) controller.enqueue(encoder.encode(BOM));
            controller.close();
            return;
          }
          const text = bomDue ? BOM + next.value : next.value;
          bomDue = false;
          controller.enqueue(encoder.encode(text));
        } catch (error) {
          finished = true;
          cleanup();
          await end(false);
          controller.error(error);
        }
      },
      cancel() {
        cleanup();
        stop();
      },
    },
    // One page at a time: pull is called again only when the previous chunk was consumed.
    { highWaterMark: 0 },
  );
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** One file-name part: letters (any script), digits, `.`, `_`, `-`; runs of anything else become `_`. */
export function fileNamePart(value: string, max = 40): string {
  const cleaned = value
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "_")
    .replace(/^[._]+|[._]+$/g, "");
  return [...cleaned].slice(0, max).join("");
}

export function csvFileName(kind: string, parts: (string | null | undefined)[]): string {
  const kept = parts.map((p) => (p ? fileNamePart(p) : "")).filter((p) => p.length > 0);
  return `${[kind, ...(kept.length > 0 ? kept : ["all"])].join("-")}.csv`;
}
