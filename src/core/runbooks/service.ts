/**
 * Runs of runbooks, kept in the store as 'runbook-run' records so they survive a restart
 * and can be driven by any replica. Read steps run by themselves; a run stops at a gated
 * step (an operator's click, an admin's confirmation, a tick) or while a job is polled,
 * and moves on when that happens. Every change is applied to the freshest stored copy
 * and only if the run is still where this driver saw it, so two drivers never apply a
 * step twice; mutating steps are also claimed, so they run once.
 */
import { randomUUID } from 'node:crypto';
import { OpsError } from '../../errors.js';
import { updateRecord, type Store } from '../../store/store.js';
import type { SvpClient } from '../../svp/client.js';
import type { Logger } from '../../log.js';
import type { Clock } from '../../app/services.js';
import type { MessageRef } from '../../app/command.js';
import { builtinFigures, resolveInputs } from './figures.js';
import { planRun, type Gate, type PlannedStep } from './plan.js';
import { applyOutcome, currentStep, executeStep, finishRun, markRunning, nextMove, skipStep, waitAtGate, type Run } from './engine.js';
import { TriageIndex, triage, type TriageResult } from './triage.js';
import type { GroqOptions } from '../../llm/groq.js';
import type { Runbook } from './schema.js';

export const RUN_KIND = 'runbook-run';
/** How often waiting jobs are polled and stalled runs picked up. */
export const SWEEP_MS = 5_000;
/** A run still 'running' this long after its last change lost its driver (a crash). */
const STALLED_MS = 60_000;
/** A gated step still running this long after it started was interrupted by a crash. */
const INTERRUPTED_MS = 10 * 60_000;
/**
 * A run nobody has acted on for this long (waiting for a person, or paused) expires: its
 * buttons would otherwise stay live on findings a day old, and active runs pile up.
 */
export const RUN_EXPIRY_MS = 24 * 60 * 60_000;
/** How many of the oldest active runs one sweep looks at for expiry. */
const EXPIRY_BATCH = 50;

/** How a run is shown and what it asks of people: the edge implements it. */
export interface RunObserver {
  changed(run: Run): Promise<void>;
  /** A destructive step was reached: ask an admin to confirm; returns the confirmation id. */
  confirm(run: Run, step: PlannedStep): Promise<string>;
  notify(run: Run, text: string): Promise<void>;
}

export interface RunbookServiceDeps {
  store: Store;
  svp: SvpClient;
  clock: Clock;
  log: Logger;
  runbooks: Runbook[];
  groq?: GroqOptions;
}

export class RunbookService {
  private readonly byId: ReadonlyMap<string, Runbook>;
  private readonly index: TriageIndex;
  private readonly driving = new Set<string>();
  private readonly again = new Set<string>();

  constructor(private readonly deps: RunbookServiceDeps) {
    this.byId = new Map(deps.runbooks.map((r) => [r.id, r]));
    this.index = new TriageIndex(deps.runbooks);
  }

  list(): Runbook[] {
    return this.deps.runbooks;
  }

  get(id: string): Runbook | undefined {
    return this.byId.get(id);
  }

  plan(id: string): PlannedStep[] {
    return planRun(this.require(id), (sub) => this.byId.get(sub)).steps;
  }

  triage(text: string): Promise<TriageResult> {
    return triage(this.index, this.byId, text, this.deps.groq);
  }

  async run(id: string): Promise<Run | undefined> {
    return (await this.deps.store.get<Run>(RUN_KIND, id))?.data;
  }

  /** Records a new run; nothing runs until drive(). */
  async start(input: { runbookId: string; inputs: Record<string, string>; startedBy: string; channelId: string }): Promise<Run> {
    const runbook = this.require(input.runbookId);
    const now = this.deps.clock.now();
    const builtins = builtinFigures(now);
    const inputs = resolveInputs(runbook, input.inputs, builtins);
    const { steps, defaults } = planRun(runbook, (sub) => this.byId.get(sub));
    const run: Run = {
      id: randomUUID(),
      runbookId: runbook.id,
      title: runbook.title,
      inputs,
      plan: steps,
      cursor: 0,
      state: 'running',
      results: {},
      figures: { ...builtins, ...defaults, ...inputs },
      startedBy: input.startedBy,
      channelId: input.channelId,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.put(RUN_KIND, run.id, run, { expectedVersion: 0 });
    return run;
  }

  /** Remembers the message that shows the run. */
  async attach(runId: string, message: MessageRef): Promise<Run> {
    const saved = await updateRecord<Run>(this.deps.store, RUN_KIND, runId, (run) => ({ data: { ...this.exists(run), message } }));
    return saved.data;
  }

  /** Runs steps until the run waits, pauses or ends; tells the observer after each change. */
  async drive(runId: string, observer: RunObserver): Promise<Run | undefined> {
    if (this.driving.has(runId)) {
      // Someone else here is driving it: make them look once more before they stop.
      this.again.add(runId);
      return this.run(runId);
    }
    this.driving.add(runId);
    try {
      let run: Run | undefined;
      do {
        this.again.delete(runId);
        run = await this.driveUntilStopped(runId, observer);
      } while (this.again.has(runId));
      return run;
    } finally {
      this.driving.delete(runId);
    }
  }

  /**
   * A person let the current gated step run: an operator's click, a tick, or an admin's
   * confirmation. Throws an OpsError saying why when the step is not theirs to run now.
   */
  async runGated(runId: string, stepKey: string, gate: Exclude<Gate, 'auto'>, userId: string, observer: RunObserver): Promise<Run | undefined> {
    const run = this.exists(await this.run(runId));
    const planned = currentStep(run);
    const waiting = planned && run.results[planned.key];
    if (run.state !== 'waiting' || planned?.key !== stepKey || waiting?.status !== 'waiting' || waiting.waitingFor !== gate) {
      const where = run.control?.action === 'expired' ? 'expired after a day without action' : `is ${run.state}${planned && planned.key !== stepKey ? ', at another step' : ''}`;
      throw new OpsError('conflict', `Nothing done: this step is no longer waiting (the run ${where}).`);
    }
    // Keyed on this wait, so a click refused because the run was paused meanwhile does not
    // use up the step: after a resume it waits again, under a new key.
    if (!(await this.deps.store.claim('runbook-step', `${runId}:${stepKey}:${waiting.waits ?? 0}`))) {
      throw new OpsError('conflict', 'Nothing done: someone else ran this step at the same moment; it runs once.');
    }
    const running = await this.commit(run, (r) => markRunning(r, userId, this.deps.clock.now()));
    if (!running) throw new OpsError('conflict', 'Nothing done: the run moved on meanwhile.');
    if (running.state !== 'running') throw new OpsError('conflict', `Nothing done: the run was ${running.control?.action ?? running.state} a moment before.`);
    await observer.changed(running);
    const outcome = await executeStep(running, planned, this.io(running, observer));
    const done = await this.commit(running, (r) => applyOutcome(r, { ...outcome, result: { ...outcome.result, by: userId } }, this.deps.clock.now()));
    if (done) await observer.changed(done);
    return this.drive(runId, observer);
  }

  /** Asks for a new confirmation of the waiting destructive step (the last one expired). */
  async reconfirm(runId: string, stepKey: string, observer: RunObserver): Promise<Run> {
    const run = this.exists(await this.run(runId));
    const planned = currentStep(run);
    if (run.state !== 'waiting' || planned?.key !== stepKey || run.results[stepKey]?.waitingFor !== 'admin') {
      throw new OpsError('conflict', 'Nothing to confirm: this step is no longer waiting for an admin.');
    }
    const confirmationId = await observer.confirm(run, planned);
    const next = await this.commit(run, (r) => waitAtGate(r, 'admin', confirmationId, this.deps.clock.now()));
    return next ?? this.exists(await this.run(runId));
  }

  async pause(runId: string, userId: string): Promise<Run> {
    return this.control(runId, userId, 'paused', ['running', 'waiting']);
  }

  async cancel(runId: string, userId: string): Promise<Run> {
    return this.control(runId, userId, 'cancelled', ['running', 'waiting', 'paused']);
  }

  async resume(runId: string, userId: string, observer: RunObserver): Promise<Run | undefined> {
    await this.control(runId, userId, 'resumed', ['paused']);
    return this.drive(runId, observer);
  }

  /** Runs not yet done or cancelled, most recently changed first. */
  async live(): Promise<Run[]> {
    return (await this.deps.store.list<Run>(RUN_KIND, { activeOnly: true, limit: 200 })).map((r) => r.data);
  }

  /** One sweep: polls jobs whose turn has come and picks up runs whose driver died. */
  async sweep(observer: RunObserver): Promise<void> {
    const now = this.deps.clock.now();
    for (const run of await this.live()) {
      const result = currentStep(run) && run.results[currentStep(run)!.key];
      const pollDue = run.state === 'waiting' && result?.waitingFor === 'poll' && (result.nextPollAt ?? 0) <= now;
      const stalled = run.state === 'running' && now - run.updatedAt > STALLED_MS && !this.driving.has(run.id);
      if (!pollDue && !stalled) continue;
      try {
        // A pause or cancel that landed since live() read it stays: then there is nothing to drive.
        if (pollDue && (await this.commit(run, (r) => (r.state === 'waiting' ? { ...r, state: 'running', updatedAt: now } : r)))?.state !== 'running') continue;
        await this.drive(run.id, observer);
      } catch (err) {
        this.deps.log.warn({ runId: run.id, err: (err as Error).message }, 'could not advance a runbook run');
      }
    }
    await this.expireIdle(now, observer);
  }

  /** Cancels the oldest runs that have waited on a person, or been paused, for RUN_EXPIRY_MS. */
  private async expireIdle(now: number, observer: RunObserver): Promise<void> {
    const oldest = await this.deps.store.list<Run>(RUN_KIND, { activeOnly: true, limit: EXPIRY_BATCH, oldestFirst: true });
    for (const { data: run } of oldest) {
      if (!isIdle(run, now)) continue;
      try {
        // Decided again on the stored run: a person's cancel, pause or click that landed
        // meanwhile stays theirs.
        const expired = await this.commit(run, (r) => (isIdle(r, now) ? { ...r, state: 'cancelled', control: { action: 'expired', at: now }, updatedAt: now, finishedAt: now } : r));
        if (expired?.control?.action === 'expired') await observer.changed(expired);
      } catch (err) {
        this.deps.log.warn({ runId: run.id, err: (err as Error).message }, 'could not expire a runbook run');
      }
    }
  }

  private async driveUntilStopped(runId: string, observer: RunObserver): Promise<Run | undefined> {
    for (;;) {
      const run = await this.run(runId);
      if (!run || run.state !== 'running') return run;
      const now = this.deps.clock.now();
      const move = nextMove(run);
      let next: Run | undefined;
      switch (move.type) {
        case 'finish':
          next = await this.commit(run, (r) => finishRun(r, now));
          break;
        case 'skip':
          next = await this.commit(run, (r) => skipStep(r, move.reason, now));
          break;
        case 'gate': {
          const planned = currentStep(run)!;
          let confirmationId = run.results[planned.key]?.confirmationId;
          if (move.gate === 'admin' && !confirmationId) confirmationId = await observer.confirm(run, planned);
          next = await this.commit(run, (r) => waitAtGate(r, move.gate, confirmationId, now));
          break;
        }
        case 'busy':
          if (now - move.since < INTERRUPTED_MS) return run;
          next = await this.commit(run, (r) => ({
            ...applyOutcome(r, { result: { status: 'warn', detail: 'Interrupted: the bot stopped while this step ran; its outcome is unknown. Check SVP before resuming.', at: now } }, now),
            state: r.state === 'cancelled' ? 'cancelled' : 'paused',
          }));
          break;
        case 'execute': {
          const outcome = await executeStep(run, currentStep(run)!, this.io(run, observer));
          next = await this.commit(run, (r) => applyOutcome(r, outcome, this.deps.clock.now()));
          break;
        }
      }
      if (!next) return this.run(runId);
      await observer.changed(next);
      if (next.state !== 'running') return next;
    }
  }

  /**
   * Applies a transition to the stored run if it is still at the step, with the step's
   * result and the state `seen` had; returns the new run, or undefined when someone else
   * moved it first. A pause or cancel meanwhile leaves the step alone, so the transition
   * still applies, and each transition keeps it (markRunning, applyOutcome, the sweep's).
   */
  private async commit(seen: Run, change: (run: Run) => Run): Promise<Run | undefined> {
    let applied: Run | undefined;
    await updateRecord<Run>(this.deps.store, RUN_KIND, seen.id, (current) => {
      const run = this.exists(current);
      const same = run.cursor === seen.cursor && sameResult(run, seen) && (run.state === seen.state || run.state === 'paused' || run.state === 'cancelled');
      applied = same ? change(run) : undefined;
      const data = applied ?? run;
      return { data, active: data.state !== 'done' && data.state !== 'cancelled' };
    });
    return applied;
  }

  private async control(runId: string, userId: string, action: 'paused' | 'resumed' | 'cancelled', from: Run['state'][]): Promise<Run> {
    const now = this.deps.clock.now();
    let refused: Run['state'] | undefined;
    const saved = await updateRecord<Run>(this.deps.store, RUN_KIND, runId, (current) => {
      const run = this.exists(current);
      refused = from.includes(run.state) ? undefined : run.state;
      if (refused) return { data: run };
      const state = action === 'resumed' ? 'running' : action;
      const data: Run = { ...run, state, control: { action, userId, at: now }, updatedAt: now, ...(state === 'cancelled' ? { finishedAt: now } : {}) };
      return { data, active: state !== 'cancelled' };
    });
    if (refused) throw new OpsError('conflict', `Nothing done: the run is ${refused}.`);
    return saved.data;
  }

  private io(run: Run, observer: RunObserver) {
    return { svp: this.deps.svp, now: () => this.deps.clock.now(), notify: (text: string) => observer.notify(run, text) };
  }

  private require(id: string): Runbook {
    const runbook = this.byId.get(id);
    if (!runbook) throw new OpsError('not_found', `No runbook "${id.slice(0, 48)}". \`/svp runbook\` lists them.`);
    return runbook;
  }

  private exists(run: Run | undefined): Run {
    if (!run) throw new OpsError('not_found', 'This run no longer exists.');
    return run;
  }
}

/** Waiting on a person, or paused, with nothing done for RUN_EXPIRY_MS. */
function isIdle(run: Run, now: number): boolean {
  const planned = currentStep(run);
  const result = planned && run.results[planned.key];
  const onPerson = run.state === 'paused' || (run.state === 'waiting' && result?.waitingFor !== 'poll');
  return onPerson && now - run.updatedAt >= RUN_EXPIRY_MS;
}

/** The current step's result is the one `seen` had: nobody clicked, confirmed or ran it meanwhile. */
function sameResult(run: Run, seen: Run): boolean {
  const now = currentStep(run) && run.results[currentStep(run)!.key];
  const then = currentStep(seen) && seen.results[currentStep(seen)!.key];
  return now?.status === then?.status && now?.at === then?.at && now?.waits === then?.waits;
}
