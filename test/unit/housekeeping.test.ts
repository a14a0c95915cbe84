import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SqliteStore } from '../../src/store/sqlite.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { registerHousekeeping } from '../../src/schedule/housekeeping.js';
import { tempDatabase } from '../harness/support.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('claims housekeeping', () => {
  it('drops day-old delivery and tick claims, never confirmation or timer claims', async () => {
    const store = new SqliteStore(tempDatabase());
    stores.push(store);
    await store.migrate();
    for (const [scope, key] of [['delivery', 'd1'], ['tick:digest', '1'], ['confirm', 'c1'], ['incident-timer', 'INC-1:lead'], ['alert-transition', 'HighErrorRate:1']]) await store.claim(scope!, key!);
    const realNow = Date.now;
    const scheduler = new Scheduler(store, { now: () => realNow() }, pino({ level: 'silent' }));
    registerHousekeeping(scheduler, store, pino({ level: 'silent' }));
    Date.now = () => realNow() + 25 * 60 * 60_000;
    try {
      expect(await scheduler.runTick('purge-claims', Date.now())).toBe(true);
    } finally {
      Date.now = realNow;
    }
    expect(await store.claim('delivery', 'd1')).toBe(true);
    expect(await store.claim('tick:digest', '1')).toBe(true);
    expect(await store.claim('confirm', 'c1')).toBe(false);
    expect(await store.claim('incident-timer', 'INC-1:lead')).toBe(false);
    expect(await store.claim('alert-transition', 'HighErrorRate:1')).toBe(false);
  });
});
