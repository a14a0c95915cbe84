/**
 * Periodic and cron jobs that run once per tick however many replicas run: each tick is
 * claimed in the store first (a unique row per job and tick), and only the winner runs it.
 * Tests drive ticks directly with runTick(name, at) instead of waiting for timers.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Store } from '../store/store.js';
import type { Logger } from '../log.js';
import type { Clock } from '../app/services.js';

export type JobFn = (at: number) => Promise<void>;

interface Job {
  name: string;
  fn: JobFn;
  /** The tick a moment belongs to, e.g. the minute or the interval slot. */
  tickOf: (at: number) => string;
  start: () => { stop: () => void };
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly running: Array<{ stop: () => void }> = [];
  private readonly busy = new Set<string>();
  /** Ticks running now, so a graceful stop can let them finish. */
  private readonly inProgress = new Set<Promise<unknown>>();

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly log: Logger) {}

  /** Every intervalMs, aligned to the epoch so replicas agree on the tick. */
  every(name: string, intervalMs: number, fn: JobFn): void {
    this.add({
      name,
      fn,
      tickOf: (at) => String(Math.floor(at / intervalMs)),
      start: () => {
        const timer = setInterval(() => void this.runTick(name, this.clock.now()), intervalMs);
        timer.unref();
        return { stop: () => clearInterval(timer) };
      },
    });
  }

  /** A node-cron expression (5 or 6 fields) in a time zone. */
  cron(name: string, expression: string, timezone: string, fn: JobFn): void {
    const seconds = expression.trim().split(/\s+/).length === 6;
    this.add({
      name,
      fn,
      tickOf: (at) => String(Math.floor(at / (seconds ? 1000 : 60_000))),
      start: () => {
        const task: ScheduledTask = cron.schedule(expression, () => void this.runTick(name, this.clock.now()), { timezone, name });
        return { stop: () => void task.stop() };
      },
    });
  }

  start(): void {
    for (const job of this.jobs.values()) this.running.push(job.start());
  }

  stop(): void {
    for (const r of this.running.splice(0)) r.stop();
  }

  /** Resolves when the ticks running now have finished, or at the deadline (false then). */
  async drain(deadlineMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.inProgress]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), deadlineMs).unref());
    return Promise.race([all, timeout]);
  }

  /** Runs the job's tick containing `at` if no replica has; true when this call ran it. */
  async runTick(name: string, at: number): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no scheduled job named ${name}`);
    const tick = job.tickOf(at);
    // A slow run must not overlap the next tick on the same replica.
    if (this.busy.has(name)) return false;
    this.busy.add(name);
    try {
      if (!(await this.store.claim(`tick:${name}`, tick))) return false;
      const run = job.fn(at);
      this.inProgress.add(run);
      try {
        await run;
      } finally {
        this.inProgress.delete(run);
      }
      return true;
    } catch (err) {
      this.log.error({ job: name, tick, err: (err as Error).message }, 'scheduled job failed');
      return false;
    } finally {
      this.busy.delete(name);
    }
  }

  private add(job: Job): void {
    if (this.jobs.has(job.name)) throw new Error(`scheduled job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }
}
