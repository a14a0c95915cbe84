import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export * from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * Opens and migrates the store named by databaseUrl: `postgres://` or `postgresql://` is
 * PostgreSQL, anything else a SQLite file path (or `:memory:`).
 */
export async function openStore(
  databaseUrl: string,
  log?: { info: (obj: object, msg?: string) => void },
): Promise<Store> {
  // pg is loaded only when it is used: a single SQLite bot doesn't carry it.
  const store = POSTGRES_URL.test(databaseUrl) ? new (await import('./postgres.js')).PostgresStore(databaseUrl) : new SqliteStore(databaseUrl);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  // Never the PostgreSQL URL: it can carry a password.
  log?.info(store.kind === 'sqlite' ? { store: 'sqlite', path: databaseUrl } : { store: 'postgres' }, 'store ready');
  return store;
}
