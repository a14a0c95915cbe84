/**
 * Per-user sliding window for mutating commands, so a runaway script can't hammer SVP.
 * Hits are claims in the shared store, so the limit holds across replicas, not per
 * replica. The store stamps claims with its own wall clock, so the window uses it too.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';

export const RATE_SCOPE = 'rate:';

export class RateLimiter {
  constructor(private readonly store: Store, readonly limit = 10, private readonly windowMs = 60_000) {}

  /** Records a hit; returns how many ms to wait when the user is over the limit, else 0. */
  async take(userId: string): Promise<number> {
    const scope = `${RATE_SCOPE}${userId}`;
    const now = Date.now();
    const recent = await this.store.claimTimes(scope, now - this.windowMs, this.limit);
    // Two replicas checking at the same moment may both let one more through; never fewer.
    if (recent.length >= this.limit) return Math.max(1, this.windowMs - (now - recent[this.limit - 1]!));
    await this.store.claim(scope, randomUUID());
    return 0;
  }
}
