/**
 * The stores a contract test runs against: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (reported as skipped otherwise), each test on an empty database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { PG_URL } from './postgres.js';

/** One empty database per test; every Store opened on it is closed by drop(). */
export interface TestDatabase {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database and a store open on it, replaced before each test. */
export interface StoreFixture {
  db: TestDatabase;
  store: Store;
}

/** Describes `contract` once per backend, PostgreSQL only with TEST_DATABASE_URL. */
export function forEachBackend(name: string, contract: (fixture: StoreFixture) => void): void {
  const on = (backend: Backend) => () => {
    const fixture = {} as StoreFixture;
    beforeEach(async () => {
      fixture.db = await backend.createDatabase();
      fixture.store = await fixture.db.open();
    });
    afterEach(async () => {
      await fixture.db.drop();
    });
    contract(fixture);
  };
  describe(`SqliteStore ${name}`, on(sqliteBackend));
  describe.skipIf(!PG_URL)(`PostgresStore ${name}`, on(postgresBackend(PG_URL ?? '')));
}
