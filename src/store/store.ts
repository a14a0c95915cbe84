/**
 * The one persistence interface of svp-ops. SQLite and PostgreSQL implement it; nothing
 * outside src/store knows which one is behind it.
 *
 * Three primitives serve every feature:
 * - claims: a unique (scope, key) row; the first caller wins. Exactly-once for Slack
 *   retries, confirmation clicks, scheduled ticks, alert transitions and timers, across
 *   replicas.
 * - events: append-only streams (the audit log, incident timelines). Concurrent appends
 *   never overwrite each other.
 * - records: JSON documents by (kind, id) with a version for optimistic concurrency
 *   (confirmations, followed jobs, incidents, runbook runs, alert states, snapshots).
 */
export interface StoredEvent<T = Record<string, unknown>> {
  /** Monotonic per store; orders events within and across streams. */
  seq: number;
  stream: string;
  /** Epoch milliseconds when the event was appended. */
  at: number;
  data: T;
}

export interface StoredRecord<T = unknown> {
  kind: string;
  id: string;
  /** Starts at 1 and grows by one with every successful put. */
  version: number;
  /** `true` while the record is live (an open incident, a pending confirmation). */
  active: boolean;
  data: T;
  /** Epoch milliseconds of the last put. */
  updatedAt: number;
}

export interface PutOptions {
  /** Version the caller read; the put fails with ConflictError when it changed. 0 = must not exist. */
  expectedVersion?: number;
  /** Defaults to true. */
  active?: boolean;
}

export interface ListOptions {
  activeOnly?: boolean;
  limit?: number;
  oldestFirst?: boolean;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema (versioned migrations). Idempotent. */
  migrate(): Promise<void>;
  /** True for the first caller of (scope, key), false for every later one, on any replica. */
  claim(scope: string, key: string): Promise<boolean>;
  /**
   * Drops claims of one scope (exact, or every scope starting with it when it ends in
   * '*') older than the cut-off, so the table does not grow for ever. Returns how many.
   */
  purgeClaims(scope: string, olderThan: number): Promise<number>;
  append<T extends Record<string, unknown>>(stream: string, data: T): Promise<StoredEvent<T>>;
  /** Oldest first unless newestFirst; limit defaults to 100. */
  events<T = Record<string, unknown>>(
    stream: string,
    opts?: { limit?: number; newestFirst?: boolean; afterSeq?: number },
  ): Promise<StoredEvent<T>[]>;
  get<T>(kind: string, id: string): Promise<StoredRecord<T> | undefined>;
  put<T>(kind: string, id: string, data: T, opts?: PutOptions): Promise<StoredRecord<T>>;
  /** Most recently updated first unless oldestFirst; limit defaults to 100. */
  list<T>(kind: string, opts?: ListOptions): Promise<StoredRecord<T>[]>;
  close(): Promise<void>;
}

export class ConflictError extends Error {
  constructor(readonly kind: string, readonly id: string) {
    super(`record ${kind}/${id} was changed by someone else`);
    this.name = 'ConflictError';
  }
}

/**
 * Read-modify-write with retries on conflict: the way to change a record that two
 * replicas (or two clicks) may change at once.
 */
export async function updateRecord<T>(
  store: Store,
  kind: string,
  id: string,
  change: (current: T | undefined) => { data: T; active?: boolean },
  attempts = 20,
): Promise<StoredRecord<T>> {
  for (let i = 0; ; i++) {
    const current = await store.get<T>(kind, id);
    const next = change(current?.data);
    try {
      return await store.put(kind, id, next.data, {
        expectedVersion: current?.version ?? 0,
        active: next.active ?? current?.active ?? true,
      });
    } catch (err) {
      if (!(err instanceof ConflictError) || i + 1 >= attempts) throw err;
    }
  }
}
