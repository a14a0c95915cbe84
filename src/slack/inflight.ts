/** Work acknowledged to Slack but not finished yet; SIGTERM waits for it to drain. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private accepting = true;

  get size(): number {
    return this.running.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  run(work: () => Promise<unknown>): Promise<void> {
    // Acks come first: acknowledged work starts only after the requests already waiting on
    // the socket have been read and acknowledged (setImmediate runs after pending I/O).
    const p = new Promise<void>((resolve) => setImmediate(resolve)).then(work).catch(() => undefined);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p.then(() => undefined);
  }

  /** Stops taking new work and resolves when what is running has finished (or the deadline passes). */
  async drain(deadlineMs: number): Promise<boolean> {
    this.accepting = false;
    const all = Promise.allSettled([...this.running]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), deadlineMs).unref());
    return Promise.race([all, timeout]);
  }
}
