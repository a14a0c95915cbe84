import { describe, expect, it } from 'vitest';
import { OpsError } from '../../src/errors.js';
import { checkRunbooks } from '../../src/core/runbooks/loader.js';
import { RUN_KIND } from '../../src/core/runbooks/service.js';
import { markRunning, type Run } from '../../src/core/runbooks/engine.js';
import { ADMIN, OPERATOR, runbookRigs, startAndDrive, waitingAt } from '../harness/runbook-rig.js';

const rig = runbookRigs();

describe('runbook engine against the simulator: slow AI queries', () => {
  it('cache hit rate 0.2: the warm-up waits for an operator, runs once when clicked, and the run moves on', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    let run = await startAndDrive(r, 'slow-ai-queries');
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'warm_up', for: 'operator' });
    expect(run.results.cold_start).toMatchObject({ status: 'warn', detail: 'Cold start: the cache hit rate 0.2 is below 0.3, so warm up the cache.' });
    expect(r.calls('/cognee/warm-up')).toBe(0);

    run = (await r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer))!;
    expect(r.calls('/cognee/warm-up')).toBe(1);
    expect(run.results.warm_up).toMatchObject({ status: 'ok', by: OPERATOR });
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'restart', for: 'tick' });
    expect(run.results.chromadb_slow?.status).toBe('ok');

    // A second click on the same button changes nothing.
    await expect(r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer)).rejects.toThrow(OpsError);
    expect(r.calls('/cognee/warm-up')).toBe(1);

    run = (await r.service.runGated(run.id, 'restart', 'tick', ADMIN, r.observer))!;
    expect(run.state).toBe('done');
    expect(run.results.restart).toMatchObject({ status: 'ok', by: ADMIN });
    // Every change was shown as it happened.
    expect(r.observer.changes.map((c) => c.cursor)).toEqual([...r.observer.changes.map((c) => c.cursor)].sort((a, b) => a - b));
  });

  it('cache hit rate 0.8: the warm-up is skipped, with the reason', async () => {
    const r = await rig();
    r.sim.state.cache.hitRate = 0.8;
    const run = await startAndDrive(r, 'slow-ai-queries');
    expect(run.results.cold_start?.detail).toBe('Not a cold start: the cache hit rate 0.8 is at least 0.3, so a warm-up would not help.');
    expect(run.results.warm_up).toMatchObject({ status: 'skipped', detail: '`hit_rate < 0.3` does not hold (hit_rate = 0.8)' });
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'restart', for: 'tick' });
    expect(r.calls('/cognee/warm-up')).toBe(0);
  });

  it('an unreadable cache is unknown, never healthy: no warm-up, and it says why', async () => {
    const r = await rig();
    r.sim.setFault('/cognee/cache/stats', { kind: 'error', status: 500, body: '{"detail":"cache backend down"}' });
    const run = await startAndDrive(r, 'slow-ai-queries');
    expect(run.results.cache_stats).toMatchObject({ status: 'fail' });
    expect(run.results.cache_stats?.detail).toContain('cache backend down');
    expect(run.results.cold_start).toMatchObject({ status: 'warn', detail: 'The cache hit rate was not reported; a cold start cannot be ruled out.' });
    expect(run.results.warm_up?.detail).toBe('`hit_rate < 0.3` cannot be decided (hit_rate is not known)');
  });
});

describe('runbook engine: destructive steps, jobs and restarts', () => {
  it('Cognee errors: the reset waits for an admin, then products and actions are re-ingested and followed to the end', async () => {
    const r = await rig();
    r.sim.state.cognee.duplicates = 3;
    let run = await startAndDrive(r, 'cognee-errors');
    expect(run.results.job?.status).toBe('skipped');
    expect(run.results.corrupted?.status).toBe('warn');
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'reset', for: 'admin' });
    expect(r.observer.confirmed).toEqual(['reset']);
    expect(run.results.reset?.confirmationId).toBe('confirmation-1');
    expect(r.calls('/cognee/reset')).toBe(0);

    run = (await r.service.runGated(run.id, 'reset', 'admin', ADMIN, r.observer))!;
    expect(r.calls('/cognee/reset')).toBe(1);
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'ingest_products', for: 'operator' });

    run = (await r.service.runGated(run.id, 'ingest_products', 'operator', OPERATOR, r.observer))!;
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'wait_products', for: 'poll' });
    expect(run.results.wait_products?.detail).toMatch(/^poll 1: /);

    // The sweep polls only when the next poll is due.
    await r.service.sweep(r.observer);
    expect(r.calls('/cognee/ingest/status/:jobId')).toBe(1);
    for (let i = 0; i < 2; i++) {
      r.clock.advance(5_000);
      await r.service.sweep(r.observer);
    }
    run = (await r.service.run(run.id))!;
    expect(run.results.wait_products).toMatchObject({ status: 'ok', polls: 3 });
    expect(waitingAt(run)).toEqual({ state: 'waiting', step: 'ingest_actions', for: 'operator' });

    run = (await r.service.runGated(run.id, 'ingest_actions', 'operator', OPERATOR, r.observer))!;
    for (let i = 0; i < 2; i++) {
      r.clock.advance(5_000);
      await r.service.sweep(r.observer);
    }
    run = (await r.service.run(run.id))!;
    expect(run.state).toBe('done');
    expect(run.results.verify?.status).toBe('ok');
    expect(run.figures.duplicates_after).toBe(0);
  });

  it('a failed job id from the input is checked first, and a bad id never reaches a URL', async () => {
    const r = await rig();
    await expect(r.service.start({ runbookId: 'cognee-errors', inputs: { job_id: '../../admin' }, startedBy: 'U1', channelId: 'C1' })).rejects.toThrow(/job_id must be 1–64 letters/);
    await expect(r.service.start({ runbookId: 'cognee-errors', inputs: { jobid: 'x' }, startedBy: 'U1', channelId: 'C1' })).rejects.toThrow(/has no input jobid; it takes job_id/);
    const run = await startAndDrive(r, 'cognee-errors', { job_id: 'nosuchjob' });
    expect(run.results.job?.status).toBe('fail');
    expect(run.results.job?.detail).toContain('404');
    expect(r.sim.calls.some((c) => c.path === '/cognee/ingest/status/nosuchjob')).toBe(true);
  });

  it('a run survives a restart half-way: another process carries on from the stored run', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    expect(waitingAt(run).step).toBe('warm_up');
    const after = r.restart();
    const resumed = (await after.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer))!;
    expect(resumed.results.cache_stats?.status).toBe('ok');
    expect(waitingAt(resumed).step).toBe('restart');
    expect(r.calls('/cognee/cache/stats')).toBe(1);
  });

  it('a run whose driver died is picked up by the sweep of another process', async () => {
    const r = await rig();
    const run = await r.service.start({ runbookId: 'quick-health-check', inputs: {}, startedBy: 'U1', channelId: 'C1' });
    const other = r.restart();
    await other.sweep(r.observer);
    expect((await other.run(run.id))?.state).toBe('running');
    r.clock.advance(61_000);
    await other.sweep(r.observer);
    const done = (await other.run(run.id))!;
    expect(done.state).toBe('done');
    expect(done.results.healthy?.status).toBe('ok');
  });

  it('a gated step left running by a crash is reported as interrupted, never run again', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    const stored = (await r.store.get<Run>(RUN_KIND, run.id))!;
    await r.store.put(RUN_KIND, run.id, markRunning(stored.data, OPERATOR, r.clock.now()), { expectedVersion: stored.version });
    const other = r.restart();
    expect((await other.drive(run.id, r.observer))?.state).toBe('running');
    r.clock.advance(11 * 60_000);
    const after = (await other.drive(run.id, r.observer))!;
    expect(after.state).toBe('paused');
    expect(after.results.warm_up?.status).toBe('warn');
    expect(after.results.warm_up?.detail).toContain('Interrupted');
    expect(r.calls('/cognee/warm-up')).toBe(0);
  });

  it('pause, resume and cancel', async () => {
    const r = await rig();
    r.sim.preset('cold-cache');
    const run = await startAndDrive(r, 'slow-ai-queries');
    expect((await r.service.pause(run.id, OPERATOR)).state).toBe('paused');
    await expect(r.service.runGated(run.id, 'warm_up', 'operator', OPERATOR, r.observer)).rejects.toThrow(/no longer waiting \(the run is paused\)/);
    const resumed = (await r.service.resume(run.id, OPERATOR, r.observer))!;
    expect(waitingAt(resumed)).toEqual({ state: 'waiting', step: 'warm_up', for: 'operator' });
    const cancelled = await r.service.cancel(run.id, OPERATOR);
    expect(cancelled).toMatchObject({ state: 'cancelled', control: { action: 'cancelled', userId: OPERATOR } });
    await expect(r.service.resume(run.id, OPERATOR, r.observer)).rejects.toThrow(/the run is cancelled/);
    expect(r.calls('/cognee/warm-up')).toBe(0);
  });
});

describe('runbook engine: notify, waits that time out, optional inputs', () => {
  const custom = (source: string) => checkRunbooks([{ file: `${/id: (\S+)/.exec(source)![1]}.yml`, source }]);

  it('a notify step posts its text with the figures filled in', async () => {
    const r = await rig({
      runbooks: custom(`id: tell
title: Tell
summary: Reads the version and tells the team.
severity: P3
symptoms: [s]
steps:
  - { id: version, kind: http, title: Version, effect: read, endpoint: version, extract: { v: version } }
  - { id: tell, kind: notify, title: Tell, effect: read, text: "Deployed {v} on {today}" }
`),
    });
    const run = await startAndDrive(r, 'tell');
    expect(run.state).toBe('done');
    expect(r.observer.notes).toEqual(['Deployed v1.4.2 on 2026-11-28']);
  });

  it('text from SVP can form no mention or link in what the run shows', async () => {
    const r = await rig({
      runbooks: custom(`id: hostile
title: Hostile
summary: Shows a version SVP chose.
severity: P3
symptoms: [s]
steps:
  - { id: version, kind: http, title: Version, effect: read, endpoint: version, extract: { v: version } }
  - { id: same, kind: check, title: Same?, effect: read, condition: 'v == "v1"', if_true: { status: ok, say: "{v}" }, if_false: { status: warn, say: "got {v}" } }
  - { id: tell, kind: notify, title: Tell, effect: read, when: 'v == "v1"', text: "{v}" }
`),
    });
    r.sim.state.version.current = '<!channel> *now*';
    const run = await startAndDrive(r, 'hostile');
    const shown = [run.results.version!.detail, run.results.same!.detail, run.results.tell!.detail].join('\n');
    expect(shown).not.toMatch(/<!channel>|\*now\*/);
    expect(run.results.same!.detail).toContain('‹!channel›');
    expect(run.results.tell!.detail).toContain('‹!channel›');
  });

  it('a wait step gives up after its timeout', async () => {
    const r = await rig({
      jobPollsToFinish: 1000,
      runbooks: custom(`id: slow-job
title: Slow job
summary: A job that never ends.
severity: P3
symptoms: [s]
steps:
  - { id: start, kind: http, title: Start, effect: mutate, endpoint: ingestProducts, extract: { job: job_id } }
  - { id: follow, kind: wait, title: Follow, effect: read, endpoint: ingestStatus, params: { jobId: "{job}" }, until: 'state == "completed"', extract: { state: status }, every: 5s, timeout: 10s }
`),
    });
    let run = await startAndDrive(r, 'slow-job');
    run = (await r.service.runGated(run.id, 'start', 'operator', OPERATOR, r.observer))!;
    for (let i = 0; i < 3; i++) {
      r.clock.advance(5_000);
      await r.service.sweep(r.observer);
    }
    run = (await r.service.run(run.id))!;
    expect(run.state).toBe('done');
    expect(run.results.follow).toMatchObject({ status: 'fail', polls: 3 });
    expect(run.results.follow?.detail).toMatch(/^not done after 10s \(3 polls\)/);
  });

  it('an optional input left out is left out of the request body', async () => {
    const r = await rig();
    await startAndDrive(r, 'debug-ai-query');
    await startAndDrive(r, 'debug-ai-query', { product_id: '550e8400', question: 'Any risks for Product X?' });
    const bodies = r.sim.calls.filter((c) => c.route === '/debug/rag').map((c) => c.body);
    expect(bodies).toEqual([{ query: 'What blockers does Product X have?' }, { query: 'Any risks for Product X?', product_id: '550e8400' }]);
  });
});
