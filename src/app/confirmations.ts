/**
 * Pending confirmations of destructive steps (SPEC.md interaction contract): only an
 * admin's click within 5 minutes runs the step, exactly once, across clicks, replays and
 * replicas: the store's claim decides the single winner.
 */
import { randomUUID } from 'node:crypto';
import { OpsError } from '../errors.js';
import { updateRecord, type Store } from '../store/store.js';
import type { Context, MessageRef, Role } from './command.js';
import type { Message } from '../core/message.js';

export const CONFIRM_TTL_MS = 5 * 60_000;
const KIND = 'confirmation';

/** What runs once confirmed; `kind` picks the executor (a command, a runbook step, …). */
export interface ConfirmTarget {
  kind: string;
  [key: string]: unknown;
}

export interface Confirmation {
  id: string;
  title: string;
  text: string;
  /** The danger button's label, e.g. "Reset Cognee". */
  label: string;
  /** One line for the audit log and the message, e.g. "cognee reset". */
  action: string;
  target: ConfirmTarget;
  requestedBy: string;
  channelId: string;
  createdAt: number;
  expiresAt: number;
  state: 'pending' | 'running' | 'done' | 'failed' | 'expired' | 'cancelled' | 'interrupted';
  confirmedBy?: string;
  /** When the confirmed step started running. */
  startedAt?: number;
  finishedAt?: number;
  result?: string;
  message?: MessageRef;
}

export type Executor = (ctx: Context, target: ConfirmTarget) => Promise<Message | void>;

export class Confirmations {
  private readonly executors = new Map<string, Executor>();

  constructor(
    private readonly store: Store,
    private readonly opts: { twoPerson: boolean; now: () => number },
  ) {}

  register(kind: string, executor: Executor): void {
    this.executors.set(kind, executor);
  }

  executor(kind: string): Executor {
    const executor = this.executors.get(kind);
    if (!executor) throw new Error(`no executor for confirmations of kind ${kind}`);
    return executor;
  }

  async create(input: Pick<Confirmation, 'title' | 'text' | 'label' | 'action' | 'target' | 'requestedBy' | 'channelId'>): Promise<Confirmation> {
    const now = this.opts.now();
    const confirmation: Confirmation = { ...input, id: randomUUID(), createdAt: now, expiresAt: now + CONFIRM_TTL_MS, state: 'pending' };
    await this.store.put(KIND, confirmation.id, confirmation, { expectedVersion: 0 });
    return confirmation;
  }

  async get(id: string): Promise<Confirmation | undefined> {
    return (await this.store.get<Confirmation>(KIND, id))?.data;
  }

  async save(c: Confirmation): Promise<void> {
    const done = ['done', 'failed', 'expired', 'cancelled', 'interrupted'].includes(c.state);
    await updateRecord<Confirmation>(this.store, KIND, c.id, () => ({ data: c, active: !done }));
  }

  /**
   * Checks a click and claims the confirmation for this user. Throws an OpsError that
   * says why when the click may not run it; only one caller ever gets it back.
   */
  async claim(id: string, userId: string, role: Role): Promise<Confirmation> {
    const c = await this.get(id);
    if (!c) throw new OpsError('not_found', 'This confirmation no longer exists. Run the command again.');
    if (c.state !== 'pending') {
      const who = c.confirmedBy ? ` by <@${c.confirmedBy}>` : '';
      throw new OpsError('conflict', `Nothing done: this step was already ${c.state === 'running' ? 'confirmed' : c.state}${who}.`);
    }
    if (this.opts.now() > c.expiresAt) {
      await this.save({ ...c, state: 'expired', finishedAt: this.opts.now() });
      throw new OpsError('expired', 'Nothing done: this confirmation expired after 5 minutes. Run the command again to get a new one.');
    }
    if (role !== 'admin') throw new OpsError('forbidden', `Nothing done: only admins (SVP_ADMINS) may confirm “${c.action}”.`);
    if (this.opts.twoPerson && userId === c.requestedBy) {
      throw new OpsError('forbidden', 'Nothing done: two-person rule (SVP_TWO_PERSON) — a different admin than the requester must confirm.');
    }
    if (!(await this.store.claim('confirm', c.id))) {
      throw new OpsError('conflict', 'Nothing done: someone else confirmed this step at the same moment; it runs once.');
    }
    const running: Confirmation = { ...c, state: 'running', confirmedBy: userId, startedAt: this.opts.now() };
    await this.save(running);
    return running;
  }

  /** Only the requester or an admin may cancel: any other click changes nothing (SPEC.md). */
  async cancel(id: string, userId: string, role: Role): Promise<Confirmation> {
    const c = await this.get(id);
    if (!c || c.state !== 'pending') throw new OpsError('conflict', 'Nothing to cancel: this step is no longer pending.');
    if (role !== 'admin' && userId !== c.requestedBy) throw new OpsError('forbidden', `Nothing done: only the requester or an admin may cancel “${c.action}”.`);
    if (!(await this.store.claim('confirm', c.id))) throw new OpsError('conflict', 'Too late to cancel: it was just confirmed.');
    const cancelled: Confirmation = { ...c, state: 'cancelled', confirmedBy: userId, finishedAt: this.opts.now() };
    await this.save(cancelled);
    return cancelled;
  }

  /**
   * After a crash, a step left running has an unknown outcome: say so, never re-run it.
   * Only steps running longer than `staleMs` count, so a replica starting up leaves its
   * peers' running steps alone.
   */
  async markInterrupted(staleMs: number): Promise<Confirmation[]> {
    const live = await this.store.list<Confirmation>(KIND, { activeOnly: true, limit: 500 });
    const cutoff = this.opts.now() - staleMs;
    const interrupted = live.map((r) => r.data).filter((c) => c.state === 'running' && (c.startedAt ?? c.createdAt) < cutoff);
    const marked = interrupted.map((c): Confirmation => ({ ...c, state: 'interrupted', finishedAt: this.opts.now(), result: 'The bot stopped while this step ran; its outcome is unknown. Check SVP before running it again.' }));
    for (const c of marked) await this.save(c);
    return marked;
  }
}
