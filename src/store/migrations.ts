/**
 * Schema migrations as data, one entry per schema version, in both dialects. Each store
 * applies the versions missing from schema_migrations at migrate(), each in a transaction.
 * Never edit an applied migration: add a new version instead.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Records which migration versions a database has applied. */
export const SCHEMA_MIGRATIONS_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`,
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`,
} as const;

/** Ordered by version, ascending. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'claims, events and records',
    sqlite: `
      CREATE TABLE claims (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        stream TEXT NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_stream_seq ON events (stream, seq);
      CREATE TABLE records (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        active INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX records_kind_active_updated ON records (kind, active, updated_at);
    `,
    postgres: `
      CREATE TABLE claims (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        claimed_at BIGINT NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE TABLE events (
        seq BIGSERIAL PRIMARY KEY,
        stream TEXT NOT NULL,
        at BIGINT NOT NULL,
        data JSONB NOT NULL
      );
      CREATE INDEX events_stream_seq ON events (stream, seq);
      CREATE TABLE records (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        active BOOLEAN NOT NULL,
        data JSONB NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX records_kind_active_updated ON records (kind, active, updated_at);
    `,
  },
];
