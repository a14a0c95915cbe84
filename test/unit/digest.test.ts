import { beforeEach, describe, expect, it } from 'vitest';
import { appendEvent, liveIncidents, saveIncident } from '../../src/core/incidents/repository.js';
import { pino } from 'pino';
import { AlertMonitor } from '../../src/core/alerts/monitor.js';
import { loadRules } from '../../src/core/alerts/rules.js';
import { assembleDigest, type DigestDeps } from '../../src/core/digest.js';
import { newRun, saveRun } from '../../src/core/maintenance.js';
import { digestMessage } from '../../src/views/digest.js';
import type { Message } from '../../src/core/message.js';
import { useCoreRig } from '../harness/core-rig.js';

const NOON = Date.UTC(2026, 10, 25, 12, 0, 0); // a Wednesday: no maintenance before tomorrow's digest
const rig = useCoreRig();
let deps: DigestDeps;
beforeEach(() => {
  const { svp, store } = rig;
  const alerts = new AlertMonitor(loadRules(), { store, svp, log: pino({ level: 'silent' }) });
  deps = { svp, store, alerts, incidents: { live: () => liveIncidents(store) }, config: { SVP_MAINTENANCE_CRON: '0 2 * * 0', SVP_TZ: 'UTC' } };
});

const text = (m: Message) => JSON.stringify(m.parts);
const runbookButtons = (m: Message) => m.parts.flatMap((p) => (p.type === 'actions' ? p.buttons : [])).filter((b) => b.actionId === 'runbook.start').map((b) => b.value);

describe('the digest', () => {
  it('is one short line per healthy area when all is well', async () => {
    const message = digestMessage(await assembleDigest(deps, NOON));
    expect(message.text).toBe('SVP digest: all clear');
    const lines = message.parts.filter((p) => p.type === 'status');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.type === 'status' && lines[0]!.items.map((i) => i.label)).toEqual(['Health', 'Key metrics', 'Incidents', 'Alerts', 'Maintenance']);
    expect(runbookButtons(message)).toEqual([]);
  });

  it('keeps the metrics and says what changed by the next digest', async () => {
    await assembleDigest(deps, NOON);
    expect(text(digestMessage(await assembleDigest(deps, NOON + 86_400_000)))).toContain('all within the healthy baselines, unchanged since the last digest');
    rig.sim.state.metrics.response_time_p95_ms = 450; // still under 500 ms, but 40% up
    expect(text(digestMessage(await assembleDigest(deps, NOON + 2 * 86_400_000)))).toContain('changed: Response time (p95) 450 ms (was 320 ms)');
  });

  it('lists open incidents at their current severity, not resolved ones, with their titles neutralised', async () => {
    const declared = { declaredBy: 'UDECL001', declaredAt: NOON - 3_600_000, channelId: 'COPS0001' };
    await saveIncident(rig.store, { id: 'INC-1', severity: 'P3', title: 'AI queries <!channel> failing', ...declared }, true);
    await appendEvent(rig.store, 'INC-1', { type: 'severity', severity: 'P0', by: 'UCMD0001', at: NOON - 1_800_000 });
    // Resolved, waiting for its post-mortem: still a live record, but no longer open.
    await saveIncident(rig.store, { id: 'INC-2', severity: 'P2', title: 'cache cold', ...declared }, true);
    await appendEvent(rig.store, 'INC-2', { type: 'resolved', by: 'UCMD0001', at: NOON - 600_000 });
    const digest = await assembleDigest(deps, NOON);
    expect(digest.incidents).toEqual([{ id: 'INC-1', severity: 'P0', title: 'AI queries <!channel> failing' }]);
    const shown = text(digestMessage(digest));
    expect(shown).toContain('AI queries ‹!channel› failing');
    expect(shown).not.toContain('<!channel>');
  });

  it('asked for by hand, leaves the scheduled digest\'s baseline alone', async () => {
    await assembleDigest(deps, NOON);
    rig.sim.state.metrics.response_time_p95_ms = 450;
    await assembleDigest(deps, NOON + 3_600_000, { keepAsBaseline: false });
    expect(text(digestMessage(await assembleDigest(deps, NOON + 86_400_000)))).toContain('changed: Response time (p95) 450 ms (was 320 ms)');
  });

  it('puts firing alerts and open maintenance first, with their runbooks, and counts the last 24 h', async () => {
    rig.sim.preset('high-memory');
    for (let i = 0; i <= 6; i++) await deps.alerts.evaluate(NOON - 10 * 60_000 + i * 60_000);
    await saveRun(rig.store, newRun(Date.UTC(2026, 10, 22, 2, 0), 'UTC'));
    const message = digestMessage(await assembleDigest(deps, NOON));
    expect(message.text).toMatch(/Memory usage/);
    expect(runbookButtons(message)).toEqual(['high-memory', 'high-memory', 'weekly-maintenance']);
    const shown = text(message);
    expect(shown).toContain('HighMemoryUsage (P2) firing');
    expect(shown).toContain('last 24 h: 1 fired, 0 resolved (HighMemoryUsage)');
    expect(shown).toContain('3 manual items open');
    expect(shown.indexOf('HighMemoryUsage (P2) firing')).toBeLessThan(shown.indexOf('"label":"Incidents"'));
  });

  it('reports metrics it could not read as a problem, never as healthy', async () => {
    rig.sim.setFault('/metrics', { kind: 'error', status: 500 });
    const message = digestMessage(await assembleDigest(deps, NOON));
    expect(text(message)).toMatch(/"label":"Key metrics","detail":"not read: `GET \/metrics` answered 500/);
    expect(message.text).not.toBe('SVP digest: all clear');
  });
});
