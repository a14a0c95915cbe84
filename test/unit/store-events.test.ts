/** The Store contract for event streams, on SQLite and PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend, type StoreFixture } from '../harness/store-backends.js';

function eventsContract(s: StoreFixture): void {

  describe('events', () => {
    it('keeps appends per stream, oldest first, with increasing seq', async () => {
      const before = Date.now();
      const a1 = await s.store.append('audit', { n: 1 });
      await s.store.append('incident:1', { n: 100 });
      const a2 = await s.store.append('audit', { n: 2, nested: { list: [1, 'x', null] } });
      const events = await s.store.events('audit');
      expect(events).toEqual([a1, a2]);
      expect(a1).toMatchObject({ stream: 'audit', data: { n: 1 } });
      expect(a2.seq).toBeGreaterThan(a1.seq);
      expect(a1.at).toBeGreaterThanOrEqual(before);
      expect((await s.store.events('incident:1')).map((e) => e.data)).toEqual([{ n: 100 }]);
      expect(await s.store.events('nothing')).toEqual([]);
    });

    it('honours limit, newestFirst and afterSeq', async () => {
      const appended = [];
      for (let n = 1; n <= 5; n++) appended.push(await s.store.append('s', { n }));
      const ns = (events: { data: Record<string, unknown> }[]) => events.map((e) => e.data.n);
      expect(ns(await s.store.events('s', { limit: 2 }))).toEqual([1, 2]);
      expect(ns(await s.store.events('s', { newestFirst: true }))).toEqual([5, 4, 3, 2, 1]);
      expect(ns(await s.store.events('s', { newestFirst: true, limit: 2 }))).toEqual([5, 4]);
      expect(ns(await s.store.events('s', { afterSeq: appended[2]!.seq }))).toEqual([4, 5]);
      expect(ns(await s.store.events('s', { afterSeq: appended[4]!.seq }))).toEqual([]);
    });

    it('readers tailing one stream with afterSeq miss nothing while two replicas append to it', async () => {
      const other = await s.db.open();
      let writing = true;
      const tail = async (): Promise<number[]> => {
        const seen: number[] = [];
        for (let last = 0; ; ) {
          const done = !writing;
          const page = await s.store.events<{ n: number }>('tail', { afterSeq: last, limit: 1000 });
          seen.push(...page.map((e) => e.data.n));
          last = page.at(-1)?.seq ?? last;
          if (done && page.length === 0) return seen.sort((x, y) => x - y);
        }
      };
      const readers = Array.from({ length: 4 }, tail);
      await Promise.all(Array.from({ length: 1000 }, (_, n) => (n % 2 ? s.store : other).append('tail', { n })));
      writing = false;
      for (const seen of await Promise.all(readers)) expect(seen).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    });

    it('keeps all of 100 concurrent appends and limits reads to 100 by default', async () => {
      const appended = await Promise.all(Array.from({ length: 120 }, (_, n) => s.store.append('busy', { n })));
      expect(new Set(appended.map((e) => e.seq)).size).toBe(120);
      expect(await s.store.events('busy')).toHaveLength(100);
      const all = await s.store.events('busy', { limit: 1000 });
      expect(all.map((e) => e.data.n).sort((x, y) => Number(x) - Number(y))).toEqual(
        Array.from({ length: 120 }, (_, n) => n),
      );
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
    });
  });
}

forEachBackend('events', eventsContract);
