/**
 * Runs a job per key with at most one run in progress and one queued: callers that arrive
 * while a run is queued share it. A caller's promise settles after a run that started after
 * the call, so whatever the caller wrote before calling is seen by that run. Fifty ticks
 * at once thus cost a few message updates, not fifty.
 */
export class Coalescer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Promise<void>>();

  constructor(private readonly job: (key: string) => Promise<void>) {}

  run(key: string): Promise<void> {
    const queued = this.queued.get(key);
    if (queued) return queued;
    const previous = this.running.get(key) ?? Promise.resolve();
    const next: Promise<void> = previous
      .catch(() => undefined)
      .then(() => {
        this.queued.delete(key);
        this.running.set(key, next);
        return this.job(key);
      })
      .finally(() => {
        if (this.running.get(key) === next) this.running.delete(key);
      });
    this.queued.set(key, next);
    return next;
  }
}
