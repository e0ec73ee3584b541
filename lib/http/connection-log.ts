import { logEvent } from "../log";

/**
 * Broken connections (aborted uploads, timeouts, malformed requests) are what anyone on the
 * internet can produce at will: one log line each would let them fill the disk. They are counted
 * by kind and written as one summary line at most once per interval.
 */
export class ConnectionErrorLog {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 60_000, private readonly write: (counts: Record<string, number>) => void = defaultWrite) {}

  note(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.counts.size === 0) return;
    const counts = Object.fromEntries(this.counts);
    this.counts.clear();
    this.write(counts);
  }
}

function defaultWrite(counts: Record<string, number>): void {
  logEvent("warn", "connection errors (summary)", { counts });
}
