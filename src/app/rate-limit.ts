/**
 * Per-user sliding window for mutating commands, so a runaway script can't hammer SVP.
 * A person's recent hits are one record in the shared store, changed with optimistic
 * concurrency: the limit is exact under concurrent commands and across replicas.
 */
import { updateRecord, type Store } from '../store/store.js';

const KIND = 'rate-limit';
/** Enough retries for a burst of one person's commands all landing at once. */
const ATTEMPTS = 100;

export class RateLimiter {
  constructor(private readonly store: Store, private readonly now: () => number, readonly limit = 10, private readonly windowMs = 60_000) {}

  /** Records a hit; returns how many ms to wait when the user is over the limit, else 0. */
  async take(userId: string): Promise<number> {
    const now = this.now();
    let waitMs = 0;
    await updateRecord<{ hits: number[] }>(this.store, KIND, userId, (current) => {
      const hits = (current?.hits ?? []).filter((t) => now - t < this.windowMs);
      // A refused hit is not counted: retrying after the wait succeeds.
      waitMs = hits.length >= this.limit ? Math.max(1, this.windowMs - (now - hits[hits.length - this.limit]!)) : 0;
      return { data: { hits: waitMs ? hits : [...hits, now] } };
    }, ATTEMPTS);
    return waitMs;
  }
}
