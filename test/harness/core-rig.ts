/**
 * For tests of the core against the SVP simulator without Slack: one simulator per file,
 * and per test a fresh SVP client (its circuit breakers must not remember the last test)
 * and a fresh SQLite store. Call at the top of a file or describe block; read the fields
 * inside tests.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { SvpClient } from '../../src/svp/client.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tempDatabase } from './support.js';

export interface CoreRig {
  sim: Simulator;
  svp: SvpClient;
  store: Store;
}

export function useCoreRig(): CoreRig {
  const rig = {} as CoreRig;
  beforeAll(async () => {
    rig.sim = await startSimulator();
  });
  afterAll(async () => {
    await rig.sim.close();
  });
  beforeEach(async () => {
    rig.sim.reset();
    rig.svp = new SvpClient({ apiUrl: rig.sim.url, frontendUrl: rig.sim.frontendUrl, timeoutMs: 1000 });
    rig.store = await openStore(tempDatabase());
  });
  afterEach(async () => {
    await rig.svp.close();
    await rig.store.close();
  });
  return rig;
}
