import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { scopeCondition } from './scope.js';
import { MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from './migrations.js';
import {
  ConflictError,
  type ListOptions,
  type PutOptions,
  type Store,
  type StoredEvent,
  type StoredRecord,
} from './store.js';

interface EventRow {
  seq: number;
  stream: string;
  at: number;
  data: string;
}

interface RecordRow {
  kind: string;
  id: string;
  version: number;
  active: number;
  data: string;
  updated_at: number;
}

/** Waits this long for another connection's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Store on one SQLite file (or `:memory:`). better-sqlite3 is synchronous, so each method
 * runs to completion before another starts in this process; the conditional statements
 * still keep it correct when several connections share the file.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  /** Prepared lazily: preparing validates tables, which exist only after migrate(). */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma('synchronous = NORMAL');
  }

  async migrate(): Promise<void> {
    // IMMEDIATE takes the write lock up front, so two processes migrating at once run one after the other.
    this.db
      .transaction(() => {
        this.db.exec(SCHEMA_MIGRATIONS_TABLE.sqlite);
        const applied = new Set(
          this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
        );
        for (const migration of MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          this.db.exec(migration.sqlite);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, Date.now());
        }
      })
      .immediate();
  }

  async claim(scope: string, key: string): Promise<boolean> {
    const result = this.statement(
      'INSERT INTO claims (scope, key, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(scope, key, Date.now());
    return result.changes === 1;
  }

  async purgeClaims(scope: string, olderThan: number): Promise<number> {
    const { sql, value } = scopeCondition(scope, '?');
    return this.statement(`DELETE FROM claims WHERE ${sql} AND claimed_at < ?`).run(value, olderThan).changes;
  }

  async append<T extends Record<string, unknown>>(stream: string, data: T): Promise<StoredEvent<T>> {
    const at = Date.now();
    const result = this.statement('INSERT INTO events (stream, at, data) VALUES (?, ?, ?)').run(
      stream,
      at,
      JSON.stringify(data),
    );
    return { seq: Number(result.lastInsertRowid), stream, at, data };
  }

  async events<T = Record<string, unknown>>(
    stream: string,
    opts: { limit?: number; newestFirst?: boolean; afterSeq?: number } = {},
  ): Promise<StoredEvent<T>[]> {
    const order = opts.newestFirst ? 'DESC' : 'ASC';
    const rows = this.statement(
      `SELECT seq, stream, at, data FROM events WHERE stream = ? AND seq > ? ORDER BY seq ${order} LIMIT ?`,
    ).all(stream, opts.afterSeq ?? 0, opts.limit ?? 100) as EventRow[];
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as T }));
  }

  async get<T>(kind: string, id: string): Promise<StoredRecord<T> | undefined> {
    const row = this.statement('SELECT * FROM records WHERE kind = ? AND id = ?').get(kind, id) as
      | RecordRow
      | undefined;
    return row && toRecord<T>(row);
  }

  async put<T>(kind: string, id: string, data: T, opts: PutOptions = {}): Promise<StoredRecord<T>> {
    const active = opts.active ?? true;
    const updatedAt = Date.now();
    const values = [kind, id, active ? 1 : 0, JSON.stringify(data), updatedAt];
    let version: number | undefined;
    if (opts.expectedVersion === undefined) {
      version = this.statement(
        `INSERT INTO records (kind, id, version, active, data, updated_at) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET version = version + 1, active = excluded.active,
           data = excluded.data, updated_at = excluded.updated_at
         RETURNING version`,
      )
        .pluck()
        .get(...values) as number;
    } else if (opts.expectedVersion === 0) {
      version = this.statement(
        `INSERT INTO records (kind, id, version, active, data, updated_at) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING version`,
      )
        .pluck()
        .get(...values) as number | undefined;
    } else {
      version = this.statement(
        `UPDATE records SET version = version + 1, active = ?, data = ?, updated_at = ?
         WHERE kind = ? AND id = ? AND version = ? RETURNING version`,
      )
        .pluck()
        .get(active ? 1 : 0, JSON.stringify(data), updatedAt, kind, id, opts.expectedVersion) as
        | number
        | undefined;
    }
    if (version === undefined) throw new ConflictError(kind, id);
    return { kind, id, version, active, data, updatedAt };
  }

  async list<T>(kind: string, opts: ListOptions = {}): Promise<StoredRecord<T>[]> {
    const activeFilter = opts.activeOnly ? 'AND active = 1' : '';
    const rows = this.statement(
      `SELECT * FROM records WHERE kind = ? ${activeFilter} ORDER BY updated_at ${opts.oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`,
    ).all(kind, opts.limit ?? 100) as RecordRow[];
    return rows.map((row) => toRecord<T>(row));
  }

  /** Safe to call more than once. */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function toRecord<T>(row: RecordRow): StoredRecord<T> {
  return {
    kind: row.kind,
    id: row.id,
    version: row.version,
    active: row.active === 1,
    data: JSON.parse(row.data) as T,
    updatedAt: row.updated_at,
  };
}
