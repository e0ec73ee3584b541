/**
 * Bytes of webhook bodies held in memory at once on this instance. A request takes bytes as they
 * arrive and gives them back when its body is handed on or dropped; a chunk that does not fit ends
 * the request with 503 and Retry-After. A slice of the budget is kept for bodies that declare a
 * small Content-Length, so slow uploads of large bodies cannot starve ordinary deliveries.
 */
export class BodyBudget {
  private held = 0;

  constructor(
    readonly limit: number,
    /** Declared lengths up to this count as small. */
    readonly smallBody = 64 * 1024,
    readonly smallReserve = Math.floor(limit / 8),
  ) {}

  /** Whether `bytes` more may be held by a request (`small`: it declared a small Content-Length). */
  take(bytes: number, small: boolean): boolean {
    const ceiling = small ? this.limit : this.limit - this.smallReserve;
    if (this.held + bytes > ceiling) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  get inFlight(): number {
    return this.held;
  }
}
