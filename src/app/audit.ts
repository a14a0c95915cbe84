/** The audit log: every mutating or destructive attempt, allowed or refused, in the store. */
import type { Store } from '../store/store.js';

export interface AuditEntry {
  at: number;
  userId: string;
  /** 'cognee reset', 'confirm cognee reset', 'runbook step', … */
  action: string;
  args: string;
  channelId: string;
  outcome: 'ok' | 'failed' | 'refused' | 'requested';
  /** Why refused or failed; or what happened. */
  detail?: string;
  durationMs?: number;
  correlationId?: string;
  [key: string]: unknown;
}

export const AUDIT_STREAM = 'audit';

export class Audit {
  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.store.append(AUDIT_STREAM, { ...entry, at: this.now() });
  }

  async recent(count: number): Promise<AuditEntry[]> {
    const events = await this.store.events<AuditEntry>(AUDIT_STREAM, { limit: count, newestFirst: true });
    return events.map((e) => e.data);
  }
}
