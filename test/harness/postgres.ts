/**
 * Tests against the PostgreSQL of TEST_DATABASE_URL, each in a schema of its own so runs
 * never see each other's rows. Suites use `describe.skipIf(!PG_URL)` so they show as
 * skipped when the variable is unset.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.TEST_DATABASE_URL;

/** Runs fn with a connection string whose search_path is a fresh schema, dropped afterwards. */
export async function withPostgresSchema<T>(prefix: string, fn: (url: string) => Promise<T>, baseUrl = PG_URL): Promise<T> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const url = new URL(baseUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
