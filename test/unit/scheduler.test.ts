/** The scheduler: real node-cron timing, one run per tick across instances, graceful drain. */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SqliteStore } from '../../src/store/sqlite.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { tempDatabase } from '../harness/support.js';

const log = pino({ level: 'silent' });
const clock = { now: () => Date.now() };
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function store(path = tempDatabase()): Promise<SqliteStore> {
  const s = new SqliteStore(path);
  await s.migrate();
  cleanup.push(() => s.close());
  return s;
}

describe('Scheduler', () => {
  it('fires a real cron expression (six fields, in a time zone), once per tick across two instances', async () => {
    const path = tempDatabase();
    const runs: number[] = [];
    const instances = [new Scheduler(await store(path), clock, log), new Scheduler(await store(path), clock, log)];
    for (const s of instances) {
      s.cron('digest', '* * * * * *', 'Europe/Paris', async (at) => void runs.push(Math.floor(at / 1000)));
      s.start();
      cleanup.push(() => s.stop());
    }
    await new Promise((r) => setTimeout(r, 2600));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // Both instances fired every second; each second ran once.
    expect(new Set(runs).size).toBe(runs.length);
  });

  it('lets a running tick finish when stopping (drain), and reports a missed deadline', async () => {
    const s = new Scheduler(await store(), clock, log);
    let finished = false;
    s.every('slow', 60_000, async () => {
      await new Promise((r) => setTimeout(r, 200));
      finished = true;
    });
    const tick = s.runTick('slow', Date.now());
    await new Promise((r) => setTimeout(r, 20));
    s.stop();
    expect(await s.drain(50)).toBe(false);
    expect(await s.drain(2000)).toBe(true);
    expect(finished).toBe(true);
    expect(await tick).toBe(true);
  });
});
