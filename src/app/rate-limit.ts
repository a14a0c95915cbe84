/** Per-user sliding window for mutating commands: a runaway script can't hammer SVP. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit = 10, private readonly windowMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Records a hit; returns how many ms to wait when the user is over the limit, else 0. */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(userId, recent);
      return this.windowMs - (now - recent[0]!);
    }
    recent.push(now);
    this.hits.set(userId, recent);
    return 0;
  }
}
