/** The Store contract, on SQLite and PostgreSQL: migrations, claims and records. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { ConflictError, updateRecord } from '../../src/store/store.js';
import { forEachBackend, sleep, type StoreFixture } from '../harness/store-backends.js';

function storeContract(s: StoreFixture): void {

  describe('migrate', () => {
    it('is idempotent and keeps data', async () => {
      await s.store.put('thing', 'a', { n: 1 });
      await s.store.migrate();
      await s.store.migrate();
      expect((await s.store.get('thing', 'a'))?.data).toEqual({ n: 1 });
    });

    it('lets two stores migrate a fresh database at once', async () => {
      const first = await s.db.open({ migrate: false });
      const second = await s.db.open({ migrate: false });
      await Promise.all([first.migrate(), second.migrate()]);
      expect(await first.claim('s', 'k')).toBe(true);
      expect(await second.claim('s', 'k')).toBe(false);
    });
  });

  it('openStore picks the store by URL and never logs a connection string', async () => {
    const logged: object[] = [];
    const opened = await openStore(s.db.url, { info: (obj) => logged.push(obj) });
    try {
      expect(opened.kind).toBe(s.store.kind);
      expect(JSON.stringify(logged)).not.toContain('postgres://');
      expect(logged).toHaveLength(1);
    } finally {
      await opened.close();
    }
  });

  describe('claims', () => {
    it('the first caller wins, per scope and key', async () => {
      expect(await s.store.claim('slack', 'evt-1')).toBe(true);
      expect(await s.store.claim('slack', 'evt-1')).toBe(false);
      expect(await s.store.claim('slack', 'evt-2')).toBe(true);
      expect(await s.store.claim('timer', 'evt-1')).toBe(true);
    });

    it('50 concurrent claims of one key have exactly one winner', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => s.store.claim('click', 'c-1')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('two stores racing 20 claims have exactly one winner', async () => {
      const other = await s.db.open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? s.store : other).claim('tick', 't-1')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('purgeClaims drops only claims of the scope older than the cut-off', async () => {
      await s.store.claim('s', 'old');
      await s.store.claim('kept', 'old');
      await s.store.claim('tick:digest', 'old');
      await s.store.claim('tick:alerts', 'old');
      await s.store.claim('tick_x', 'old');
      await sleep(5);
      const cutOff = Date.now();
      await sleep(5);
      await s.store.claim('s', 'new');
      expect(await s.store.purgeClaims('s', cutOff)).toBe(1);
      expect(await s.store.purgeClaims('s', cutOff)).toBe(0);
      // A prefix ending in * matches its scopes only: `_` is not a wildcard.
      expect(await s.store.purgeClaims('tick:*', cutOff)).toBe(2);
      expect(await s.store.claim('tick_x', 'old')).toBe(false);
      expect(await s.store.claim('kept', 'old')).toBe(false);
      expect(await s.store.claim('s', 'old')).toBe(true);
      expect(await s.store.claim('s', 'new')).toBe(false);
    });
  });

  describe('records', () => {
    it('puts and gets with growing versions', async () => {
      expect(await s.store.get('incident', 'i-1')).toBeUndefined();
      const first = await s.store.put('incident', 'i-1', { title: 'down' });
      expect(first).toMatchObject({ kind: 'incident', id: 'i-1', version: 1, active: true, data: { title: 'down' } });
      const second = await s.store.put('incident', 'i-1', { title: 'still down' });
      expect(second.version).toBe(2);
      expect(second.updatedAt).toBeGreaterThanOrEqual(first.updatedAt);
      expect(await s.store.get('incident', 'i-1')).toEqual(second);
    });

    it('stores any JSON value, including a top-level array', async () => {
      await s.store.put('snapshot', 'list', [1, { a: 'b' }, null]);
      expect((await s.store.get('snapshot', 'list'))?.data).toEqual([1, { a: 'b' }, null]);
    });

    it('rejects a stale expectedVersion with ConflictError', async () => {
      await s.store.put('job', 'j', { n: 1 });
      const updated = await s.store.put('job', 'j', { n: 2 }, { expectedVersion: 1 });
      expect(updated.version).toBe(2);
      await expect(s.store.put('job', 'j', { n: 3 }, { expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
      await expect(s.store.put('job', 'missing', { n: 1 }, { expectedVersion: 4 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await s.store.get('job', 'j'))?.data).toEqual({ n: 2 });
    });

    it('expectedVersion 0 creates once and then conflicts', async () => {
      expect((await s.store.put('confirm', 'c', { ok: true }, { expectedVersion: 0 })).version).toBe(1);
      await expect(s.store.put('confirm', 'c', { ok: false }, { expectedVersion: 0 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await s.store.get('confirm', 'c'))?.data).toEqual({ ok: true });
    });

    it('keeps the active flag and filters list by it', async () => {
      await s.store.put('incident', 'open', {});
      await s.store.put('incident', 'closed', {}, { active: false });
      expect((await s.store.get('incident', 'closed'))?.active).toBe(false);
      expect((await s.store.list('incident', { activeOnly: true })).map((r) => r.id)).toEqual(['open']);
      expect((await s.store.list('incident')).map((r) => r.id).sort()).toEqual(['closed', 'open']);
    });

    it('lists one kind, most recently updated first, up to the limit', async () => {
      for (const id of ['a', 'b', 'c']) {
        await s.store.put('run', id, { id });
        await sleep(3);
      }
      await s.store.put('other', 'x', {});
      expect((await s.store.list('run')).map((r) => r.id)).toEqual(['c', 'b', 'a']);
      expect((await s.store.list('run', { limit: 2 })).map((r) => r.id)).toEqual(['c', 'b']);
      await s.store.put('run', 'a', { id: 'a', again: true });
      expect((await s.store.list('run')).map((r) => r.id)).toEqual(['a', 'c', 'b']);
      expect((await s.store.list('run', { oldestFirst: true, limit: 2 })).map((r) => r.id)).toEqual(['b', 'c']);
    });

    it('updateRecord applies 20 concurrent increments', async () => {
      const increment = () =>
        updateRecord<{ count: number }>(s.store, 'counter', 'c', (cur) => ({ data: { count: (cur?.count ?? 0) + 1 } }));
      await Promise.all(Array.from({ length: 20 }, increment));
      expect(await s.store.get('counter', 'c')).toMatchObject({ version: 20, data: { count: 20 } });
    });

    it('updateRecord applies 20 concurrent increments from two stores', async () => {
      const other = await s.db.open();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          updateRecord<{ count: number }>(i % 2 ? s.store : other, 'counter', 'c', (cur) => ({
            data: { count: (cur?.count ?? 0) + 1 },
          })),
        ),
      );
      expect(await s.store.get('counter', 'c')).toMatchObject({ version: 20, data: { count: 20 } });
    });
  });

  it('keeps data across close and reopen', async () => {
    await s.store.claim('s', 'k');
    await s.store.append('audit', { n: 1 });
    await s.store.put('incident', 'i', { title: 't' }, { active: false });
    await s.store.close();
    await s.store.close(); // closing twice is harmless
    const reopened = await s.db.open();
    expect(await reopened.claim('s', 'k')).toBe(false);
    expect((await reopened.events('audit')).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(await reopened.get('incident', 'i')).toMatchObject({ version: 1, active: false, data: { title: 't' } });
  });
}

forEachBackend('contract', storeContract);
