import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/slack/inflight.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InFlight', () => {
  it('runs at most `slots` pieces of work at once, the rest in arrival order', async () => {
    const inflight = new InFlight(2, 10_000);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        inflight.run(async () => {
          order.push(i);
          peak = Math.max(peak, ++running);
          await sleep(20);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives a slot back after its lease, so work stuck on I/O does not stall the rest', async () => {
    const inflight = new InFlight(1, 50);
    let release!: () => void;
    const stuck = inflight.run(() => new Promise<void>((r) => (release = r)));
    const started = Date.now();
    await inflight.run(async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
    release();
    await stuck;
  });

  it('drains: stops accepting, waits for running work, and reports a missed deadline', async () => {
    const inflight = new InFlight();
    void inflight.run(() => sleep(50));
    expect(await inflight.drain(2000)).toBe(true);
    expect(inflight.isAccepting).toBe(false);
    const slow = new InFlight();
    void slow.run(() => sleep(500));
    expect(await slow.drain(20)).toBe(false);
  });

  it('never lets a failing piece of work reject its caller', async () => {
    const inflight = new InFlight();
    await expect(inflight.run(async () => Promise.reject(new Error('boom')))).resolves.toBeUndefined();
    expect(inflight.size).toBe(0);
  });
});
