import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ConflictError, updateRecord, type Store } from '../../src/store/store.js';

/** One empty database per test; every Store opened on it is closed by drop(). */
interface TestDatabase {
  url: string;
  /** Another Store on the same database, like a second replica. */
  open(opts?: { migrate?: boolean }): Promise<Store>;
  drop(): Promise<void>;
}

interface Backend {
  kind: Store['kind'];
  createDatabase(): Promise<TestDatabase>;
}

function trackingDatabase(url: string, create: () => Store, remove: () => Promise<void>): TestDatabase {
  const opened: Store[] = [];
  return {
    url,
    async open({ migrate = true } = {}) {
      const store = create();
      opened.push(store);
      if (migrate) await store.migrate();
      return store;
    },
    async drop() {
      await Promise.all(opened.map((store) => store.close()));
      await remove();
    },
  };
}

const sqliteBackend: Backend = {
  kind: 'sqlite',
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'svp-store-'));
    // A missing parent directory: the store must create it.
    const path = join(dir, 'nested', 'store.db');
    const remove = async () => rmSync(dir, { recursive: true, force: true });
    return trackingDatabase(path, () => new SqliteStore(path), remove);
  },
};

function postgresBackend(baseUrl: string): Backend {
  return {
    kind: 'postgres',
    async createDatabase() {
      // A schema of its own per test, so reruns and parallel files never see each other's rows.
      const schema = `svp_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(baseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return trackingDatabase(url.toString(), () => new PostgresStore(url.toString()), async () => {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      });
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function storeContract(backend: Backend): void {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    db = await backend.createDatabase();
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  describe('migrate', () => {
    it('is idempotent and keeps data', async () => {
      await store.put('thing', 'a', { n: 1 });
      await store.migrate();
      await store.migrate();
      expect((await store.get('thing', 'a'))?.data).toEqual({ n: 1 });
    });

    it('lets two stores migrate a fresh database at once', async () => {
      const first = await db.open({ migrate: false });
      const second = await db.open({ migrate: false });
      await Promise.all([first.migrate(), second.migrate()]);
      expect(await first.claim('s', 'k')).toBe(true);
      expect(await second.claim('s', 'k')).toBe(false);
    });
  });

  it('openStore picks the store by URL and never logs a connection string', async () => {
    const logged: object[] = [];
    const opened = await openStore(db.url, { info: (obj) => logged.push(obj) });
    try {
      expect(opened.kind).toBe(backend.kind);
      expect(JSON.stringify(logged)).not.toContain('postgres://');
      expect(logged).toHaveLength(1);
    } finally {
      await opened.close();
    }
  });

  describe('claims', () => {
    it('the first caller wins, per scope and key', async () => {
      expect(await store.claim('slack', 'evt-1')).toBe(true);
      expect(await store.claim('slack', 'evt-1')).toBe(false);
      expect(await store.claim('slack', 'evt-2')).toBe(true);
      expect(await store.claim('timer', 'evt-1')).toBe(true);
    });

    it('50 concurrent claims of one key have exactly one winner', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('click', 'c-1')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('two stores racing 20 claims have exactly one winner', async () => {
      const other = await db.open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claim('tick', 't-1')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('purgeClaims drops only claims of the scope older than the cut-off', async () => {
      await store.claim('s', 'old');
      await store.claim('kept', 'old');
      await store.claim('tick:digest', 'old');
      await store.claim('tick:alerts', 'old');
      await store.claim('tick_x', 'old');
      await sleep(5);
      const cutOff = Date.now();
      await sleep(5);
      await store.claim('s', 'new');
      expect(await store.purgeClaims('s', cutOff)).toBe(1);
      expect(await store.purgeClaims('s', cutOff)).toBe(0);
      // A prefix ending in * matches its scopes only: `_` is not a wildcard.
      expect(await store.purgeClaims('tick:*', cutOff)).toBe(2);
      expect(await store.claim('tick_x', 'old')).toBe(false);
      expect(await store.claim('kept', 'old')).toBe(false);
      expect(await store.claim('s', 'old')).toBe(true);
      expect(await store.claim('s', 'new')).toBe(false);
    });

    it('claimTimes tells when the recent claims of one scope were made, newest first', async () => {
      const before = Date.now();
      for (const key of ['a', 'b', 'c']) {
        await store.claim('rate:U1', key);
        await sleep(3);
      }
      await store.claim('rate:U2', 'x');
      const times = await store.claimTimes('rate:U1', before, 10);
      expect(times).toHaveLength(3);
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      expect(times.every((t) => t >= before && t <= Date.now())).toBe(true);
      expect(await store.claimTimes('rate:U1', before, 2)).toEqual(times.slice(0, 2));
      expect(await store.claimTimes('rate:U1', times[1]!, 10)).toEqual(times.slice(0, 2));
      expect(await store.claimTimes('rate:U3', 0, 10)).toEqual([]);
    });
  });

  describe('events', () => {
    it('keeps appends per stream, oldest first, with increasing seq', async () => {
      const before = Date.now();
      const a1 = await store.append('audit', { n: 1 });
      await store.append('incident:1', { n: 100 });
      const a2 = await store.append('audit', { n: 2, nested: { list: [1, 'x', null] } });
      const events = await store.events('audit');
      expect(events).toEqual([a1, a2]);
      expect(a1).toMatchObject({ stream: 'audit', data: { n: 1 } });
      expect(a2.seq).toBeGreaterThan(a1.seq);
      expect(a1.at).toBeGreaterThanOrEqual(before);
      expect((await store.events('incident:1')).map((e) => e.data)).toEqual([{ n: 100 }]);
      expect(await store.events('nothing')).toEqual([]);
    });

    it('honours limit, newestFirst and afterSeq', async () => {
      const appended = [];
      for (let n = 1; n <= 5; n++) appended.push(await store.append('s', { n }));
      const ns = (events: { data: Record<string, unknown> }[]) => events.map((e) => e.data.n);
      expect(ns(await store.events('s', { limit: 2 }))).toEqual([1, 2]);
      expect(ns(await store.events('s', { newestFirst: true }))).toEqual([5, 4, 3, 2, 1]);
      expect(ns(await store.events('s', { newestFirst: true, limit: 2 }))).toEqual([5, 4]);
      expect(ns(await store.events('s', { afterSeq: appended[2]!.seq }))).toEqual([4, 5]);
      expect(ns(await store.events('s', { afterSeq: appended[4]!.seq }))).toEqual([]);
    });

    it('keeps all of 100 concurrent appends and limits reads to 100 by default', async () => {
      const appended = await Promise.all(Array.from({ length: 120 }, (_, n) => store.append('busy', { n })));
      expect(new Set(appended.map((e) => e.seq)).size).toBe(120);
      expect(await store.events('busy')).toHaveLength(100);
      const all = await store.events('busy', { limit: 1000 });
      expect(all.map((e) => e.data.n).sort((x, y) => Number(x) - Number(y))).toEqual(
        Array.from({ length: 120 }, (_, n) => n),
      );
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
    });
  });

  describe('records', () => {
    it('puts and gets with growing versions', async () => {
      expect(await store.get('incident', 'i-1')).toBeUndefined();
      const first = await store.put('incident', 'i-1', { title: 'down' });
      expect(first).toMatchObject({ kind: 'incident', id: 'i-1', version: 1, active: true, data: { title: 'down' } });
      const second = await store.put('incident', 'i-1', { title: 'still down' });
      expect(second.version).toBe(2);
      expect(second.updatedAt).toBeGreaterThanOrEqual(first.updatedAt);
      expect(await store.get('incident', 'i-1')).toEqual(second);
    });

    it('stores any JSON value, including a top-level array', async () => {
      await store.put('snapshot', 'list', [1, { a: 'b' }, null]);
      expect((await store.get('snapshot', 'list'))?.data).toEqual([1, { a: 'b' }, null]);
    });

    it('rejects a stale expectedVersion with ConflictError', async () => {
      await store.put('job', 'j', { n: 1 });
      const updated = await store.put('job', 'j', { n: 2 }, { expectedVersion: 1 });
      expect(updated.version).toBe(2);
      await expect(store.put('job', 'j', { n: 3 }, { expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.put('job', 'missing', { n: 1 }, { expectedVersion: 4 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await store.get('job', 'j'))?.data).toEqual({ n: 2 });
    });

    it('expectedVersion 0 creates once and then conflicts', async () => {
      expect((await store.put('confirm', 'c', { ok: true }, { expectedVersion: 0 })).version).toBe(1);
      await expect(store.put('confirm', 'c', { ok: false }, { expectedVersion: 0 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await store.get('confirm', 'c'))?.data).toEqual({ ok: true });
    });

    it('keeps the active flag and filters list by it', async () => {
      await store.put('incident', 'open', {});
      await store.put('incident', 'closed', {}, { active: false });
      expect((await store.get('incident', 'closed'))?.active).toBe(false);
      expect((await store.list('incident', { activeOnly: true })).map((r) => r.id)).toEqual(['open']);
      expect((await store.list('incident')).map((r) => r.id).sort()).toEqual(['closed', 'open']);
    });

    it('lists one kind, most recently updated first, up to the limit', async () => {
      for (const id of ['a', 'b', 'c']) {
        await store.put('run', id, { id });
        await sleep(3);
      }
      await store.put('other', 'x', {});
      expect((await store.list('run')).map((r) => r.id)).toEqual(['c', 'b', 'a']);
      expect((await store.list('run', { limit: 2 })).map((r) => r.id)).toEqual(['c', 'b']);
      await store.put('run', 'a', { id: 'a', again: true });
      expect((await store.list('run')).map((r) => r.id)).toEqual(['a', 'c', 'b']);
      expect((await store.list('run', { oldestFirst: true, limit: 2 })).map((r) => r.id)).toEqual(['b', 'c']);
    });

    it('updateRecord applies 20 concurrent increments', async () => {
      const increment = () =>
        updateRecord<{ count: number }>(store, 'counter', 'c', (cur) => ({ data: { count: (cur?.count ?? 0) + 1 } }));
      await Promise.all(Array.from({ length: 20 }, increment));
      expect(await store.get('counter', 'c')).toMatchObject({ version: 20, data: { count: 20 } });
    });

    it('updateRecord applies 20 concurrent increments from two stores', async () => {
      const other = await db.open();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          updateRecord<{ count: number }>(i % 2 ? store : other, 'counter', 'c', (cur) => ({
            data: { count: (cur?.count ?? 0) + 1 },
          })),
        ),
      );
      expect(await store.get('counter', 'c')).toMatchObject({ version: 20, data: { count: 20 } });
    });
  });

  it('keeps data across close and reopen', async () => {
    await store.claim('s', 'k');
    await store.append('audit', { n: 1 });
    await store.put('incident', 'i', { title: 't' }, { active: false });
    await store.close();
    await store.close(); // closing twice is harmless
    const reopened = await db.open();
    expect(await reopened.claim('s', 'k')).toBe(false);
    expect((await reopened.events('audit')).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(await reopened.get('incident', 'i')).toMatchObject({ version: 1, active: false, data: { title: 't' } });
  });
}

const postgresUrl = process.env.TEST_DATABASE_URL;

describe('SqliteStore contract', () => storeContract(sqliteBackend));
describe.skipIf(!postgresUrl)('PostgresStore contract', () => storeContract(postgresBackend(postgresUrl ?? '')));
