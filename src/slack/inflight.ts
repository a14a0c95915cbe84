/**
 * Work acknowledged to Slack but not finished yet; SIGTERM waits for it to drain.
 *
 * Under a burst, acks must not queue behind the work of earlier requests. So at most
 * `slots` pieces of work start and run at once; the rest wait without producing I/O and
 * the event loop stays free to read and ack new requests. A slot is a lease: work that is
 * only waiting on SVP (a hanging probe) gives its slot back after `leaseMs`, so a slow
 * SVP cannot stall every other command.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private accepting = true;

  constructor(private readonly slots = 8, private readonly leaseMs = 1000) {}

  get size(): number {
    return this.running.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  run(work: () => Promise<unknown>): Promise<void> {
    const p = this.leased(work).catch(() => undefined);
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

  private async leased(work: () => Promise<unknown>): Promise<unknown> {
    // setImmediate runs after pending I/O: requests already on the socket are acked first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.active < this.slots) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      // The slot passes straight to the next waiter, or frees up.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    const lease = setTimeout(release, this.leaseMs);
    try {
      return await work();
    } finally {
      clearTimeout(lease);
      release();
    }
  }
}
