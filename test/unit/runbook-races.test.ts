/**
 * A person's click against a pause, a cancel or an expiry landing at the same moment: the
 * run stays paused, cancelled or expired, and the step does not run.
 */
import { describe, expect, it } from 'vitest';
import { RUN_EXPIRY_MS } from '../../src/core/runbooks/service.js';
import type { ListOptions, Store } from '../../src/store/store.js';
import { eventually } from '../harness/support.js';
import { ADMIN, OPERATOR, runbookRigs, startAndDrive, waitingAt, type Rig } from '../harness/runbook-rig.js';

const rig = runbookRigs();

/** Runs `meanwhile` once, between the step's claim and the run being marked running. */
function interleave(r: Rig, meanwhile: () => Promise<unknown>): void {
  const claim = r.store.claim.bind(r.store);
  let pending = true;
  r.store.claim = async (scope, key) => {
    const won = await claim(scope, key);
    if (scope === 'runbook-step' && pending) {
      pending = false;
      await meanwhile();
    }
    return won;
  };
}

describe('a click racing a change of the run', () => {
  it('paused a moment before: nothing runs, and after the resume the step runs once', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    interleave(r, () => r.service.pause(run.id, 'UREAD001'));
    await expect(r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer)).rejects.toThrow('Nothing done: the run was paused a moment before.');
    expect(r.calls('/cognee/warm-up')).toBe(0);
    expect((await r.service.run(run.id))?.state).toBe('paused');

    const resumed = (await r.service.resume(run.id, OPERATOR, r.observer))!;
    expect(waitingAt(resumed)).toEqual({ state: 'waiting', step: 'warm_up', for: 'operator' });
    await r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer);
    expect(r.calls('/cognee/warm-up')).toBe(1);
  });

  it('expired a moment before: nothing runs, and the run stays expired', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    interleave(r, async () => {
      r.clock.advance(RUN_EXPIRY_MS);
      await r.service.sweep(r.observer);
    });
    await expect(r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer)).rejects.toThrow('Nothing done: the run was expired a moment before.');
    expect(r.calls('/cognee/warm-up')).toBe(0);
    expect((await r.service.run(run.id))?.control).toMatchObject({ action: 'expired' });
  });

  it('an expiry re-decided on the stored run leaves a run that was just acted on alone', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    r.clock.advance(RUN_EXPIRY_MS);
    // The sweep read the run as idle; a pause lands before it writes.
    const list = r.store.list.bind(r.store);
    r.store.list = (async (kind: string, opts?: ListOptions) => {
      const found = await list(kind, opts);
      if (opts?.oldestFirst) await r.service.pause(run.id, OPERATOR);
      return found;
    }) as Store['list'];
    await r.service.sweep(r.observer);
    expect((await r.service.run(run.id))?.control).toMatchObject({ action: 'paused', userId: OPERATOR });
  });

  it('a new confirmation asked for while the confirmed step runs does not let it run twice', async () => {
    const r = await rig();
    r.sim.state.cognee.duplicates = 3;
    r.sim.setFault('/cognee/reset', { kind: 'slow', ms: 300 });
    const run = await startAndDrive(r, 'cognee-errors');
    const confirm = r.observer.confirm;
    let first: Promise<unknown> | undefined;
    // While confirmation 2 is being posted, confirmation 1 is confirmed (the reset starts) and the run is paused.
    r.observer.confirm = async (seen, step) => {
      first = r.service.runGated(run.id, 'reset', 'admin', ADMIN, r.observer);
      await eventually(async () => (await r.service.run(run.id))?.results.reset?.status === 'running', 'the reset never started');
      await r.service.pause(run.id, OPERATOR);
      return confirm(seen, step);
    };
    await r.service.reconfirm(run.id, 'reset', r.observer);
    r.observer.confirm = confirm;
    await r.service.resume(run.id, OPERATOR, r.observer);
    await expect(r.service.runGated(run.id, 'reset', 'admin', ADMIN, r.observer)).rejects.toThrow(/^Nothing done/);
    await first;
    expect(r.calls('/cognee/reset')).toBe(1);
  });

  it('a run cancelled while the sweep is on its way to poll it stays cancelled', async () => {
    const r = await rig();
    r.sim.state.cognee.duplicates = 3;
    const run = await startAndDrive(r, 'cognee-errors');
    await r.service.runGated(run.id, 'reset', 'admin', ADMIN, r.observer);
    await r.service.runGated(run.id, 'ingest_products', 'operator', OPERATOR, r.observer);
    const polls = r.calls('/cognee/ingest/status/:jobId');
    const list = r.store.list.bind(r.store);
    r.store.list = (async (kind: string, opts?: ListOptions) => {
      const found = await list(kind, opts);
      if (!opts?.oldestFirst) await r.service.cancel(run.id, OPERATOR);
      return found;
    }) as Store['list'];
    r.clock.advance(60_000);
    await r.service.sweep(r.observer);
    expect((await r.service.run(run.id))?.state).toBe('cancelled');
    expect(r.calls('/cognee/ingest/status/:jobId')).toBe(polls);
  });
});
