import pg from 'pg';
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

/** Session advisory lock held while migrating, so replicas starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_351_042_001;
/** First key of the per-stream append locks (two-int keys never meet the one-bigint key above). */
const STREAM_LOCK_SPACE = 7_351_042;

interface EventRow {
  seq: string; // BIGINT arrives as a string
  stream: string;
  at: string;
  data: unknown;
}

interface RecordRow {
  kind: string;
  id: string;
  version: number;
  active: boolean;
  data: unknown; // JSONB arrives parsed
  updated_at: string;
}

/**
 * Store on PostgreSQL, safe for several replicas on one database: every write that can
 * race is a single conditional statement, so the database decides who wins.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString });
    // An idle connection dropped by the server: the pool discards it and opens a new one on
    // next use. Without a listener the 'error' event would crash the process.
    this.pool.on('error', () => {});
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(SCHEMA_MIGRATIONS_TABLE.postgres);
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const appliedVersions = new Set(applied.rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (appliedVersions.has(migration.version)) continue;
        await client.query('BEGIN');
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      }
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      client.release();
    } catch (err) {
      // Destroying the connection rolls back an open transaction and frees the advisory lock.
      client.release(err instanceof Error ? err : true);
      throw err;
    }
  }

  async claim(scope: string, key: string): Promise<boolean> {
    const result = await this.pool.query(
      'INSERT INTO claims (scope, key, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [scope, key, Date.now()],
    );
    return result.rowCount === 1;
  }

  async purgeClaims(scope: string, olderThan: number): Promise<number> {
    const { sql, value } = scopeCondition(scope, '$1');
    const result = await this.pool.query(`DELETE FROM claims WHERE ${sql} AND claimed_at < $2`, [value, olderThan]);
    return result.rowCount ?? 0;
  }

  async append<T extends Record<string, unknown>>(stream: string, data: T): Promise<StoredEvent<T>> {
    const at = Date.now();
    // Appends to one stream take a transaction lock before drawing their seq, so within a
    // stream seq order is commit order and a reader paging with afterSeq never skips one.
    const result = await this.pool.query<{ seq: string }>(
      `WITH serialised AS (SELECT pg_advisory_xact_lock(${STREAM_LOCK_SPACE}, hashtext($1)))
       INSERT INTO events (stream, at, data) SELECT $1, $2, $3::jsonb FROM serialised RETURNING seq`,
      [stream, at, JSON.stringify(data)],
    );
    return { seq: Number(result.rows[0]!.seq), stream, at, data };
  }

  async events<T = Record<string, unknown>>(
    stream: string,
    opts: { limit?: number; newestFirst?: boolean; afterSeq?: number } = {},
  ): Promise<StoredEvent<T>[]> {
    const order = opts.newestFirst ? 'DESC' : 'ASC';
    const result = await this.pool.query<EventRow>(
      `SELECT seq, stream, at, data FROM events WHERE stream = $1 AND seq > $2 ORDER BY seq ${order} LIMIT $3`,
      [stream, opts.afterSeq ?? 0, opts.limit ?? 100],
    );
    return result.rows.map((row) => ({
      seq: Number(row.seq),
      stream: row.stream,
      at: Number(row.at),
      data: row.data as T,
    }));
  }

  async get<T>(kind: string, id: string): Promise<StoredRecord<T> | undefined> {
    const result = await this.pool.query<RecordRow>('SELECT * FROM records WHERE kind = $1 AND id = $2', [
      kind,
      id,
    ]);
    const row = result.rows[0];
    return row && toRecord<T>(row);
  }

  async put<T>(kind: string, id: string, data: T, opts: PutOptions = {}): Promise<StoredRecord<T>> {
    const active = opts.active ?? true;
    const updatedAt = Date.now();
    // Serialize ourselves: pg would turn a top-level array into a PostgreSQL array.
    const values: unknown[] = [kind, id, active, JSON.stringify(data), updatedAt];
    let sql: string;
    if (opts.expectedVersion === undefined) {
      sql = `INSERT INTO records (kind, id, version, active, data, updated_at) VALUES ($1, $2, 1, $3, $4::jsonb, $5)
        ON CONFLICT (kind, id) DO UPDATE SET version = records.version + 1, active = EXCLUDED.active,
          data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
        RETURNING version`;
    } else if (opts.expectedVersion === 0) {
      sql = `INSERT INTO records (kind, id, version, active, data, updated_at) VALUES ($1, $2, 1, $3, $4::jsonb, $5)
        ON CONFLICT DO NOTHING RETURNING version`;
    } else {
      sql = `UPDATE records SET version = version + 1, active = $3, data = $4::jsonb, updated_at = $5
        WHERE kind = $1 AND id = $2 AND version = $6 RETURNING version`;
      values.push(opts.expectedVersion);
    }
    const result = await this.pool.query<{ version: number }>(sql, values);
    const row = result.rows[0];
    if (!row) throw new ConflictError(kind, id);
    return { kind, id, version: row.version, active, data, updatedAt };
  }

  async list<T>(kind: string, opts: ListOptions = {}): Promise<StoredRecord<T>[]> {
    const activeFilter = opts.activeOnly ? 'AND active' : '';
    const result = await this.pool.query<RecordRow>(
      `SELECT * FROM records WHERE kind = $1 ${activeFilter} ORDER BY updated_at ${opts.oldestFirst ? 'ASC' : 'DESC'} LIMIT $2`,
      [kind, opts.limit ?? 100],
    );
    return result.rows.map((row) => toRecord<T>(row));
  }

  /** Safe to call more than once. */
  async close(): Promise<void> {
    if (!this.pool.ending) await this.pool.end();
  }
}

function toRecord<T>(row: RecordRow): StoredRecord<T> {
  return {
    kind: row.kind,
    id: row.id,
    version: row.version,
    active: row.active,
    data: row.data as T,
    updatedAt: Number(row.updated_at),
  };
}
