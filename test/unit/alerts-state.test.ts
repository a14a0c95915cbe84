import { beforeEach, describe, expect, it } from 'vitest';
import { loadRules, parseRules, type AlertRule } from '../../src/core/alerts/rules.js';
import { evaluate, silence, type AlertState, type Step } from '../../src/core/alerts/state.js';
import { FakeClock } from '../harness/support.js';

const MIN = 60_000;
const rules = new Map(loadRules().map((r) => [r.name, r]));
const highErrorRate = rules.get('HighErrorRate')!; // > 5% for 5m, P1, reminds every 30m
const slowResponses = rules.get('SlowResponses')!; // > 2s for 10m, P2, no reminders
const serviceDown = rules.get('ServiceDown')!; // == unhealthy for 1m, P0

/** Drives one rule through evaluations on a fake clock, as the alert job does. */
class Alert {
  state: AlertState | undefined;
  readonly steps: Step[] = [];
  constructor(readonly rule: AlertRule, readonly clock: FakeClock) {}

  see(value: number | 'healthy' | 'unhealthy' | undefined, after = 0): Step {
    this.clock.advance(after);
    const step = evaluate(this.rule, this.state, value, this.clock.now());
    this.state = step.state;
    this.steps.push(step);
    return step;
  }

  notices() {
    return this.steps.map((s) => s.notice).filter(Boolean);
  }
}

let clock: FakeClock;
beforeEach(() => {
  clock = new FakeClock(Date.UTC(2026, 10, 28, 9, 0, 0));
});

describe('inactive → pending → firing → resolved', () => {
  it('goes pending when the condition starts holding, and says nothing yet', () => {
    const a = new Alert(highErrorRate, clock);
    const step = a.see(0.07);
    expect(step.state).toMatchObject({ phase: 'pending', since: clock.now(), value: '7%', seq: 0 });
    expect(step.notice).toBeUndefined();
    expect(step.transition).toBeUndefined();
  });

  it('fires once the condition has held for the duration, with one notice', () => {
    const a = new Alert(highErrorRate, clock);
    const started = clock.now();
    a.see(0.07);
    expect(a.see(0.08, 4 * MIN).state.phase).toBe('pending');
    const fired = a.see(0.09, MIN);
    expect(fired).toMatchObject({ transition: 'fired', notice: 'fired' });
    expect(fired.state).toMatchObject({ phase: 'firing', since: started, firingSince: clock.now(), notifiedAt: clock.now(), seq: 1, value: '9%' });
    // Still firing on later evaluations: never another notice before the reminder is due.
    for (let i = 0; i < 10; i++) expect(a.see(0.09, MIN).notice).toBeUndefined();
    expect(a.notices()).toEqual(['fired']);
    expect(a.state!.seq).toBe(1);
  });

  it('resolves once when the condition stops holding', () => {
    const a = new Alert(slowResponses, clock);
    a.see(2500);
    a.see(2600, 10 * MIN);
    const firingSince = a.state!.firingSince;
    const resolved = a.see(400, MIN);
    expect(resolved).toMatchObject({ transition: 'resolved', notice: 'resolved' });
    expect(resolved.state).toMatchObject({ phase: 'inactive', since: undefined, firingSince, resolvedAt: clock.now(), seq: 2, value: '400 ms' });
    expect(a.see(300, MIN).notice).toBeUndefined();
    expect(a.notices()).toEqual(['fired', 'resolved']);
  });

  it('fires at once when the duration is zero', () => {
    const [instant] = parseRules('alerts:\n  - name: Busy\n    condition: active_requests > 20\n    duration: 0\n    severity: P3\n    action: slack_alert\n', 'x.yml');
    const a = new Alert(instant!, clock);
    expect(a.see(35)).toMatchObject({ transition: 'fired', notice: 'fired' });
  });

  it('fires ServiceDown on the /health verdict after a minute', () => {
    const a = new Alert(serviceDown, clock);
    expect(a.see('unhealthy').state.phase).toBe('pending');
    expect(a.see('unhealthy', MIN).notice).toBe('fired');
    expect(a.see('healthy', MIN).notice).toBe('resolved');
  });
});

describe('flapping', () => {
  it('a pending alert whose condition lapses goes back to inactive without a word, and starts over', () => {
    const a = new Alert(highErrorRate, clock);
    for (let i = 0; i < 6; i++) {
      a.see(0.07, i ? 2 * MIN : 0); // holds for 2 minutes…
      expect(a.state!.phase).toBe('pending');
      a.see(0.01, 2 * MIN); // …then lapses
      expect(a.state!.phase).toBe('inactive');
    }
    expect(a.notices()).toEqual([]);
    expect(a.state!.seq).toBe(0);
    // The condition must hold for the whole duration again, counted from the new start.
    const restart = clock.now() + MIN;
    a.see(0.07, MIN);
    expect(a.state!.since).toBe(restart);
    expect(a.see(0.07, 4 * MIN).state.phase).toBe('pending');
    expect(a.see(0.07, MIN).notice).toBe('fired');
  });

  it('a firing alert that resolves must hold for the duration again before it fires again', () => {
    const a = new Alert(highErrorRate, clock);
    a.see(0.07);
    a.see(0.07, 5 * MIN);
    a.see(0.01, MIN);
    a.see(0.07, MIN);
    a.see(0.01, MIN);
    a.see(0.07, MIN);
    expect(a.state!.phase).toBe('pending');
    expect(a.notices()).toEqual(['fired', 'resolved']);
  });
});

describe('no data', () => {
  it('holds the phase while nothing is observed (SVP unreachable or inhibited)', () => {
    const a = new Alert(highErrorRate, clock);
    a.see(0.07);
    a.see(0.07, 5 * MIN);
    const gap = a.see(undefined, MIN);
    expect(gap.state).toMatchObject({ phase: 'firing', value: 'no data' });
    expect(gap.notice).toBeUndefined();
    expect(a.see(0.07, MIN).notice).toBeUndefined();
    expect(a.notices()).toEqual(['fired']);
  });

  it('does not start an alert on no data', () => {
    const a = new Alert(highErrorRate, clock);
    expect(a.see(undefined).state.phase).toBe('inactive');
    expect(a.see(undefined, 60 * MIN).notice).toBeUndefined();
  });
});

describe('reminders while firing', () => {
  it('a P1 alert reminds every 30 minutes by default, counted from the last notice', () => {
    const a = new Alert(highErrorRate, clock);
    a.see(0.07);
    a.see(0.07, 5 * MIN);
    expect(a.see(0.07, 29 * MIN).notice).toBeUndefined();
    expect(a.see(0.07, MIN).notice).toBe('reminder');
    expect(a.state!.notifiedAt).toBe(clock.now());
    expect(a.see(0.07, 29 * MIN).notice).toBeUndefined();
    expect(a.see(0.07, MIN).notice).toBe('reminder');
    expect(a.state!.seq).toBe(3);
  });

  it('a P2 alert does not remind', () => {
    const a = new Alert(slowResponses, clock);
    a.see(2500);
    a.see(2500, 10 * MIN);
    for (let i = 0; i < 6; i++) a.see(2500, 30 * MIN);
    expect(a.notices()).toEqual(['fired']);
  });

  it('the rule file can set the interval', () => {
    const [often] = parseRules('alerts:\n  - name: Mem\n    condition: memory_usage_mb > 1800\n    duration: 1m\n    severity: P2\n    action: slack_alert\n    remind: 10m\n', 'x.yml');
    const a = new Alert(often!, clock);
    a.see(2000);
    a.see(2000, MIN);
    a.see(2000, 10 * MIN);
    expect(a.notices()).toEqual(['fired', 'reminder']);
  });
});

describe('silences', () => {
  const mute = (a: Alert, forMs: number) => {
    a.state = silence(a.rule, a.state, { until: clock.now() + forMs, by: 'UOPER001', reason: 'deploying the fix' });
  };

  it('mute notices but not the state, and record transitions all the same', () => {
    const a = new Alert(highErrorRate, clock);
    mute(a, 60 * MIN);
    a.see(0.07);
    const fired = a.see(0.07, 5 * MIN);
    expect(fired).toMatchObject({ transition: 'fired', notice: undefined });
    expect(fired.state.phase).toBe('firing');
    expect(a.see(0.07, 30 * MIN).notice).toBeUndefined(); // no reminder either
    const resolved = a.see(0.01, MIN);
    expect(resolved).toMatchObject({ transition: 'resolved', notice: undefined });
    expect(a.notices()).toEqual([]);
  });

  it('announce their expiry once, saying the alert is firing when it is', () => {
    const a = new Alert(highErrorRate, clock);
    a.see(0.07);
    a.see(0.07, 5 * MIN);
    mute(a, 20 * MIN);
    expect(a.see(0.07, 10 * MIN).notice).toBeUndefined();
    const expired = a.see(0.07, 10 * MIN);
    expect(expired.notice).toBe('silence-expired');
    expect(expired.state).toMatchObject({ phase: 'firing', silence: undefined, notifiedAt: clock.now() });
    expect(a.see(0.07, MIN).notice).toBeUndefined();
    expect(a.notices()).toEqual(['fired', 'silence-expired']);
  });

  it('announce their expiry when the alert is quiet, and even when SVP gives no data', () => {
    const a = new Alert(slowResponses, clock);
    mute(a, 30 * MIN);
    a.see(300);
    const expired = a.see(undefined, 30 * MIN);
    expect(expired.notice).toBe('silence-expired');
    expect(expired.state).toMatchObject({ phase: 'inactive', silence: undefined });
    expect(expired.state.notifiedAt).toBeUndefined();
  });

  it('a later silence replaces an earlier one', () => {
    const a = new Alert(highErrorRate, clock);
    mute(a, 10 * MIN);
    mute(a, 60 * MIN);
    expect(a.state!.silence!.until).toBe(clock.now() + 60 * MIN);
    expect(a.see(0.01, 30 * MIN).notice).toBeUndefined();
  });
});
