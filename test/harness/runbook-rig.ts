/**
 * For tests of the runbook engine without Slack: the simulator, a SQLite store, a fake
 * clock, a RunbookService and an observer that records what it is told.
 */
import { afterEach } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SvpClient } from '../../src/svp/client.js';
import { createLogger } from '../../src/log.js';
import { loadRunbooks } from '../../src/core/runbooks/loader.js';
import { RunbookService, type RunObserver } from '../../src/core/runbooks/service.js';
import { currentStep, type Run } from '../../src/core/runbooks/engine.js';
import type { Runbook } from '../../src/core/runbooks/schema.js';
import { FakeClock, tempDatabase } from './support.js';

export const OPERATOR = 'UOPER001';
export const ADMIN = 'UADMIN01';

export interface Rig {
  sim: Simulator;
  store: Store;
  clock: FakeClock;
  service: RunbookService;
  observer: RunObserver & { changes: Run[]; confirmed: string[]; notes: string[] };
  /** A second bot process on the same store and simulator. */
  restart(): RunbookService;
  calls(route: string): number;
}

/** Call at the top of a test file: returns the rig factory, and closes every rig after each test. */
export function runbookRigs(): typeof rig {
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });
  return rig;
}

const open: Array<() => Promise<void>> = [];

async function rig(opts: { runbooks?: Runbook[]; jobPollsToFinish?: number } = {}): Promise<Rig> {
  const sim = await startSimulator({ jobPollsToFinish: opts.jobPollsToFinish });
  const store = await openStore(tempDatabase());
  const clock = new FakeClock();
  const svps: SvpClient[] = [];
  const service = () => {
    const svp = new SvpClient({ apiUrl: sim.url, frontendUrl: sim.frontendUrl, timeoutMs: 2000, breaker: { threshold: 0, halfOpenMs: 1000 } });
    svps.push(svp);
    return new RunbookService({ store, svp, clock, log: createLogger({ level: 'silent', secrets: [] }), runbooks: opts.runbooks ?? loadRunbooks() });
  };
  const changes: Run[] = [];
  const confirmed: string[] = [];
  const notes: string[] = [];
  const observer = {
    changes,
    confirmed,
    notes,
    changed: async (run: Run) => void changes.push(run),
    confirm: async (_run: Run, step: { key: string }) => {
      confirmed.push(step.key);
      return `confirmation-${confirmed.length}`;
    },
    notify: async (_run: Run, text: string) => void notes.push(text),
  };
  open.push(async () => {
    for (const svp of svps) await svp.close();
    await store.close();
    await sim.close();
  });
  return { sim, store, clock, service: service(), observer, restart: service, calls: (route) => sim.calls.filter((c) => c.route === route).length };
}

export async function startAndDrive(r: Rig, runbookId: string, inputs: Record<string, string> = {}): Promise<Run> {
  const run = await r.service.start({ runbookId, inputs, startedBy: 'UREAD001', channelId: 'COPS0001' });
  return (await r.service.drive(run.id, r.observer))!;
}

export const waitingAt = (run: Run) => ({ state: run.state, step: currentStep(run)?.key, for: currentStep(run) && run.results[currentStep(run)!.key]?.waitingFor });
