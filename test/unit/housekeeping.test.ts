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

describe('interrupted destructive steps', () => {
  it('are marked interrupted once stale, never re-run, and their message says so', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const { createBot } = await import('../../src/bot.js');
    const { FakeClock, LogCapture } = await import('../harness/support.js');
    const clock = new FakeClock();
    const bot = await createBot(loadConfig({ DATABASE_URL: tempDatabase(), SVP_ADMINS: 'UADMIN01' }), { clock, logDestination: new LogCapture() });
    const updates: Array<{ ts: string; text: string }> = [];
    bot.bindPoster({ post: async () => ({ channelId: 'C1', ts: '1' }), update: async (ref, m) => void updates.push({ ts: ref.ts, text: m.text }) });
    try {
      const { confirmations, scheduler } = bot.services;
      const c = await confirmations.create({ title: 't', text: 'x', label: 'Reset', action: 'cognee reset', target: { kind: 'command', name: 'cognee reset', args: '' }, requestedBy: 'UADMIN01', channelId: 'C1' });
      await confirmations.save({ ...c, message: { channelId: 'C1', ts: '42' } });
      await confirmations.claim(c.id, 'UADMIN01', 'admin');
      // Still within any SVP call's time: left alone.
      clock.advance(30_000);
      await scheduler.runTick('interrupted-steps', clock.now());
      expect((await confirmations.get(c.id))?.state).toBe('running');
      clock.advance(60_000);
      await scheduler.runTick('interrupted-steps', clock.now());
      expect((await confirmations.get(c.id))?.state).toBe('interrupted');
      expect(updates).toEqual([{ ts: '42', text: 'cognee reset: interrupted' }]);
      await expect(confirmations.claim(c.id, 'UADMIN01', 'admin')).rejects.toThrow(/already interrupted/);
    } finally {
      await bot.stop();
    }
  });
});
