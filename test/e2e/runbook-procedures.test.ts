/**
 * Every procedure of RUNBOOK.md end to end, each in the simulator state that triggers it,
 * plus the procedures whose later steps need a click, a failed job or a redeploy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, FakeClock, OPERATOR, READER, botPool } from '../harness/bot-fixture.js';
import { visibleText } from '../harness/support.js';
import { callsTo, start, sweep, tick, until } from '../harness/runbook-driver.js';
import type { Simulator } from '../../src/simulator/index.js';

const { bot, stopAll } = botPool();
afterEach(stopAll);

const procedures: Array<{ id: string; given: (sim: Simulator) => void; stopsAt: RegExp; says: string[] }> = [
  { id: 'quick-health-check', given: (sim) => sim.preset('down'), stopsAt: /Done with failures/, says: ['Not healthy: at least one check failed'] },
  { id: 'high-error-rate', given: (sim) => sim.preset('degraded'), stopsAt: /Waiting at step 3 of 9/, says: ['Error rate 7% is above 5%.', 'Step 1: Check error logs'] },
  { id: 'webhook-sync-failures', given: () => {}, stopsAt: /Waiting at step 1 of 6/, says: ['Dashboard → Database → Webhooks'] },
  { id: 'debug-ai-query', given: (sim) => (sim.state.confidence.overall = 0.3), stopsAt: /Done with warnings/, says: ['Low confidence 0.3: stale data → Re-ingest products.'] },
  { id: 'debug-cognee-ingestion', given: () => {}, stopsAt: /Waiting at step 1 of 8/, says: ['Run: 1. Start ingestion job'] },
  { id: 'debug-performance', given: (sim) => sim.preset('slow-ai'), stopsAt: /Waiting at step 3 of 10/, says: ['p95 2400 ms is above the 500 ms baseline.'] },
  { id: 'high-memory', given: (sim) => sim.preset('high-memory'), stopsAt: /Waiting at step 5 of 7/, says: ['Memory usage 2100 MB is above 2 GB.', 'Query cache holds 5000 entries'] },
  { id: 'high-cpu', given: (sim) => sim.preset('overloaded'), stopsAt: /Waiting at step 4 of 5/, says: ['CPU usage 95% is above 90%.', '35 active requests (over 20): the service is overloaded.'] },
  { id: 'weekly-maintenance', given: () => {}, stopsAt: /Waiting at step 1 of 7/, says: ['Run: 1. Trigger weekly product snapshot ingestion'] },
  { id: 'monthly-maintenance', given: () => {}, stopsAt: /Waiting at step 1 of 7/, says: ['npm audit, pip-audit'] },
  { id: 'rollback', given: (sim) => Object.assign(sim.state.metrics, { error_rate: 0.15, response_time_p95_ms: 3000 }), stopsAt: /Waiting at step 12 of 18/, says: ['When to Rollback › Recommendation', 'Rollback recommended', 'Deployments → Find last stable deployment'] },
];

describe('every procedure, in the state that triggers it', () => {
  it.each(procedures)('$id', async ({ id, given, stopsAt, says }) => {
    const t = await bot();
    given(t.sim);
    const message = await start(t, `runbook ${id}`);
    await until(t, message, stopsAt);
    for (const text of says) expect(visibleText(message)).toContain(text);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('webhook sync failures: a webhook that fails leads to the full sync, which waits for an admin', async () => {
    const t = await bot();
    t.sim.setFault('/api/sync/webhook', { kind: 'error', status: 500, body: '{"detail":"Payload validation error"}' });
    const message = await start(t, 'runbook webhook-sync-failures');
    await until(t, message, /Waiting at step 1 of 6/);
    await tick(t, message, READER);
    await until(t, message, /Waiting at step 2 of 6/);
    await t.driver.clickButton(message, 'Run: Step 2: Test webhook manually (inserts Test Product)', { userId: OPERATOR });
    await until(t, message, /Waiting at step 5 of 6/);
    const shown = visibleText(message);
    expect(shown).toContain('Payload validation error');
    expect(shown).toContain('Product not found: the sync failed.');
    await t.slack.waitFor(() => t.slack.messages.find((m) => m.thread_ts === message.ts && m.text.includes('full_sync: waiting for an admin')));
    expect(callsTo(t, '/api/sync/ingest')).toBe(0);
  });

  it('debug Cognee ingestion: a failed job is followed to its end and matched to its fix', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.state.jobOutcome = 'failed';
    const message = await start(t, 'runbook debug-cognee-ingestion');
    await until(t, message, /Waiting at step 1 of 8/);
    await t.driver.clickButton(message, 'Run: 1. Start ingestion job', { userId: OPERATOR });
    await until(t, message, /Waiting at step 2 of 8/);
    await sweep(t, clock, 5_000, 2);
    await until(t, message, /Waiting at step 6 of 8/);
    const shown = visibleText(message);
    expect(shown).toContain('"Entity already exists" → Run with force_update=true.');
    expect(shown).toContain('Render Dashboard → Logs → Search for "job_id: ');
    expect(callsTo(t, '/cognee/ingest/status/:jobId')).toBe(3);
  });

  it('rollback: after the redeploy is ticked, the version is verified and the team is told', async () => {
    const t = await bot();
    const message = await start(t, 'runbook rollback', OPERATOR);
    await until(t, message, /Waiting at step 12 of 18/);
    // Slack asks before the tick of a destructive manual step counts, in red.
    const dialog = message.blocks.find((b) => b.block_id === 'manual')!.elements[0].confirm;
    expect(dialog.style).toBe('danger');
    expect(dialog.text.text).toContain('it is destructive and cannot be undone');
    t.sim.state.version.current = t.sim.state.version.previous;
    await tick(t, message, ADMIN);
    await until(t, message, /Waiting at step 16 of 18/);
    await tick(t, message, OPERATOR);
    await until(t, message, /Done/);
    const note = await t.slack.waitFor(() => t.slack.messages.find((m) => m.thread_ts === message.ts && m.text.startsWith('Rolled back')));
    expect(note.text).toBe('Rolled back AI service to v1.4.1 due to the issue under investigation.');
  });
});
