/** The per-person limit on changing commands, exact under concurrency and across replicas. */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/app/rate-limit.js';
import { FakeClock } from '../harness/support.js';
import { forEachBackend, type StoreFixture } from '../harness/store-backends.js';

function rateLimitContract(s: StoreFixture): void {
  it('admits exactly 10 of 30 commands landing at once, over two replicas', async () => {
    const clock = new FakeClock();
    const replicas = [new RateLimiter(s.store, () => clock.now()), new RateLimiter(await s.db.open(), () => clock.now())];
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 2]!.take('UOPER001')));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    expect(waits.filter((w) => w > 0).every((w) => w === 60_000)).toBe(true);
    expect(await replicas[0]!.take('UADMIN01')).toBe(0); // per person
  });

  it('slides: a refused try is not counted, and each hit frees its place a minute on', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(s.store, () => clock.now());
    for (let i = 0; i < 10; i++) {
      expect(await limiter.take('UOPER001')).toBe(0);
      clock.advance(1_000);
    }
    expect(await limiter.take('UOPER001')).toBe(50_000); // the first hit, at 0 s, leaves at 60 s
    clock.advance(50_000);
    expect(await limiter.take('UOPER001')).toBe(0);
    expect(await limiter.take('UOPER001')).toBe(1_000);
  });
}

describe('RateLimiter', () => forEachBackend('rate limit', rateLimitContract));
