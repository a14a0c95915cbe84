import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AlertMonitor, STATE_KIND, type Notice } from '../../src/core/alerts/monitor.js';
import { loadRules } from '../../src/core/alerts/rules.js';
import type { AlertState } from '../../src/core/alerts/state.js';
import { alertNoticeMessage } from '../../src/views/alerts.js';
import { FakeClock } from '../harness/support.js';
import { useCoreRig } from '../harness/core-rig.js';

const MIN = 60_000;
const log = pino({ level: 'silent' });
const rig = useCoreRig();
let clock: FakeClock;
beforeEach(() => {
  clock = new FakeClock();
});

const monitor = () => new AlertMonitor(loadRules(), { store: rig.store, svp: rig.svp, log });

/** Evaluates and posts (as the channel job does) at one moment; the notices won. */
async function evaluateAndPost(m: AlertMonitor): Promise<Notice[]> {
  const notices = await m.evaluate(clock.now());
  for (const n of notices) await m.posted(n);
  return notices;
}

/** Evaluates every minute for `minutes`, collecting the notices won. */
async function evaluateFor(m: AlertMonitor, minutes: number): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (let i = 0; i < minutes; i++) {
    notices.push(...(await evaluateAndPost(m)));
    clock.advance(MIN);
  }
  return notices;
}

const kinds = (notices: Notice[]) => notices.map((n) => `${n.rule.name}:${n.kind}`);

describe('AlertMonitor against the simulator', () => {
  it('fires HighErrorRate once in the degraded preset and resolves it once when healthy again', async () => {
    const m = monitor();
    rig.sim.preset('degraded'); // error rate 7%
    const firing = await evaluateFor(m, 8);
    expect(kinds(firing)).toEqual(['HighErrorRate:fired']);
    const [fired] = firing;
    expect(fired!.state).toMatchObject({ phase: 'firing', value: '7%', severity: 'P1' });

    const record = await rig.store.get<AlertState>(STATE_KIND, 'HighErrorRate');
    expect(record?.active).toBe(true);

    rig.sim.preset('healthy');
    const after = await evaluateFor(m, 5);
    expect(kinds(after)).toEqual(['HighErrorRate:resolved']);
    expect((await rig.store.get(STATE_KIND, 'HighErrorRate'))?.active).toBe(false);

    const history = await m.history(0);
    expect(history.map((e) => `${e.rule}:${e.transition}`)).toEqual(['HighErrorRate:resolved', 'HighErrorRate:fired']);
  });

  it('when SVP cannot be reached, only ServiceDown fires', async () => {
    const m = monitor();
    rig.sim.preset('down'); // every route 503
    expect(kinds(await evaluateFor(m, 14))).toEqual(['ServiceDown:fired']);
    // A P0 reminds every 15 minutes while it fires; still nothing else.
    expect(kinds(await evaluateFor(m, 3))).toEqual(['ServiceDown:reminder']);
  });

  it('while /health says unhealthy, bad metrics raise nothing but ServiceDown', async () => {
    const m = monitor();
    rig.sim.state.healthy = false;
    Object.assign(rig.sim.state.metrics, { error_rate: 0.5, response_time_p95_ms: 9000, memory_usage_mb: 4000 });
    rig.sim.state.cache.hitRate = 0.05;
    expect(kinds(await evaluateFor(m, 14))).toEqual(['ServiceDown:fired']);
  });

  it('two replicas evaluating the same moments post each transition once', async () => {
    const first = monitor();
    const second = new AlertMonitor(loadRules(), { store: rig.store, svp: rig.svp, log });
    rig.sim.preset('high-memory'); // 2100 MB, past 1800 for 5m
    const won: Notice[] = [];
    for (let i = 0; i < 8; i++) {
      const [a, b] = await Promise.all([evaluateAndPost(first), evaluateAndPost(second)]);
      won.push(...a, ...b);
      clock.advance(MIN);
    }
    expect(kinds(won)).toEqual(['HighMemoryUsage:fired']);
    expect((await first.history(0)).length).toBe(1);
  });

  it('a silence announced to the channel expires once', async () => {
    const m = monitor();
    const rule = m.rule('highmemoryusage');
    await m.silence(rule, { until: clock.now() + 10 * MIN, by: 'UOPER001' });
    rig.sim.preset('high-memory');
    const notices = await evaluateFor(m, 12);
    expect(kinds(notices)).toEqual(['HighMemoryUsage:silence-expired']);
    const message = alertNoticeMessage(notices[0]!, [], clock.now());
    expect(message.text).toMatch(/expired; it is firing/);
    expect(message.parts.find((p) => p.type === 'actions')).toBeDefined();
  });

  it('a notice claimed by a replica that died before posting it is posted once more, a minute on', async () => {
    const dying = monitor();
    const survivor = new AlertMonitor(loadRules(), { store: rig.store, svp: rig.svp, log });
    rig.sim.preset('degraded');
    const claimed: Notice[] = [];
    for (let i = 0; i < 6; i++) {
      claimed.push(...(await dying.evaluate(clock.now()))); // claimed, never posted
      clock.advance(MIN);
    }
    expect(kinds(claimed)).toEqual(['HighErrorRate:fired']);
    const again = await Promise.all([evaluateAndPost(survivor), evaluateAndPost(monitor())]);
    expect(kinds(again.flat())).toEqual(['HighErrorRate:fired']);
    expect(again.flat()[0]!.state).toMatchObject({ phase: 'firing', value: '7%' });
    expect(kinds(await evaluateFor(survivor, 5))).toEqual([]);
    expect((await rig.store.get<AlertState>(STATE_KIND, 'HighErrorRate'))?.data.unposted).toBeUndefined();
  });

  it('a lost notice is not posted once a silence covers the alert', async () => {
    const m = monitor();
    rig.sim.preset('degraded');
    for (let i = 0; i < 6; i++) {
      await m.evaluate(clock.now()); // the fired notice is claimed, never posted
      clock.advance(MIN);
    }
    await m.silence(m.rule('HighErrorRate'), { until: clock.now() + 60 * MIN, by: 'UOPER001' });
    expect(kinds(await evaluateFor(m, 3))).toEqual([]);
  });

  it('retires the state of a rule that left the rules file', async () => {
    rig.sim.preset('degraded');
    await evaluateFor(monitor(), 6);
    expect((await rig.store.get(STATE_KIND, 'HighErrorRate'))?.active).toBe(true);
    const fewer = new AlertMonitor(loadRules().filter((r) => r.name !== 'HighErrorRate'), { store: rig.store, svp: rig.svp, log });
    await fewer.evaluate(clock.now());
    expect(await rig.store.get(STATE_KIND, 'HighErrorRate')).toMatchObject({ active: false, data: { phase: 'inactive' } });
  });

  it('names the rules when asked for one that does not exist', () => {
    expect(() => monitor().rule('Nope')).toThrow(/No alert rule named "Nope". The rules: HighErrorRate, SlowResponses/);
  });

  it('shows each rule with its current value', async () => {
    const m = monitor();
    rig.sim.preset('cold-cache');
    await m.evaluate(clock.now());
    const rows = await m.status(await m.read());
    const cache = rows.find((r) => r.rule.name === 'LowCacheHitRate')!;
    expect(cache.current).toBe('20%');
    expect(cache.state?.phase).toBe('pending');
    expect(rows.find((r) => r.rule.name === 'ServiceDown')!.current).toBe('healthy');
  });
});

describe('alert notices', () => {
  it('page the on-call user and group, with the value, threshold, since and buttons', async () => {
    const m = monitor();
    rig.sim.preset('degraded');
    const [fired] = await evaluateFor(m, 6);
    const message = alertNoticeMessage(fired!, ['UONCALL1', 'SONCALL2'], clock.now());
    const text = JSON.stringify(message);
    expect(text).toContain('<@UONCALL1> <!subteam^SONCALL2> you are paged.');
    expect(text).toContain('"Observed","value":"7%"');
    expect(text).toContain('`error_rate > 5%` for 5m');
    expect(text).toContain('2026-11-28 09:00:00 UTC');
    const actions = message.parts.find((p) => p.type === 'actions');
    expect(actions && actions.type === 'actions' && actions.buttons.map((b) => [b.actionId, b.value])).toEqual([
      ['runbook.start', 'high-error-rate'],
      ['incident.declare', 'P1|Alert HighErrorRate: error_rate > 5% (observed 7%)'],
      ['alerts.silence', 'HighErrorRate'],
    ]);
  });

  it('say when nobody is configured to be paged', async () => {
    const m = monitor();
    rig.sim.preset('degraded');
    const [fired] = await evaluateFor(m, 6);
    expect(JSON.stringify(alertNoticeMessage(fired!, [], clock.now()))).toContain('No on-call to page: set SVP_ONCALL.');
  });
});
