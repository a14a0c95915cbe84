/**
 * Evaluates the alert rules against SVP and keeps their state in the store: records
 * ('alert-state', rule) — active while firing, so the App Home can list firing alerts —
 * and the event stream 'alerts' (fired/resolved history, for the digest). Each transition
 * and notice is claimed as ('alert-transition', '<rule>:<seq>'), so however many replicas
 * evaluate, each is recorded and posted once. A claimed notice stays 'unposted' in the
 * state until its poster confirms it; one still unposted a minute on (its replica died,
 * or Slack refused it) is handed out once more.
 */
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { updateRecord } from '../../store/store.js';
import type { SvpClient } from '../../svp/client.js';
import { parseMetrics } from '../metrics.js';
import { OpsError } from '../../errors.js';
import { formatValue, observe, type Reading } from './conditions.js';
import type { AlertRule } from './rules.js';
import { evaluate, silence, type AlertState, type NoticeKind, type Silence, type Transition } from './state.js';

export const STATE_KIND = 'alert-state';
const HISTORY = 'alerts';

export interface Notice {
  kind: NoticeKind;
  rule: AlertRule;
  state: AlertState;
  /** The state's seq when the notice was due: posted() clears exactly this one. */
  seq: number;
}

/** A notice claimed this long ago and still not posted lost its poster: post it again. */
export const REDELIVER_MS = 60_000;

/** One entry of the stream 'alerts'. */
export interface AlertEvent {
  [key: string]: unknown;
  rule: string;
  severity: string;
  transition: Transition;
  value: string;
  at: number;
}

/** A rule with its stored state and, when read just now, its current value. */
export interface RuleStatus {
  rule: AlertRule;
  state?: AlertState;
  current?: string;
}

export class AlertMonitor {
  constructor(
    readonly rules: readonly AlertRule[],
    private readonly deps: { store: Store; svp: SvpClient; log: Logger },
  ) {}

  /** Looks a rule up by name, case-insensitively; a usage error names the rules. */
  rule(name: string): AlertRule {
    const rule = this.rules.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!rule) throw new OpsError('usage', `No alert rule named "${name.slice(0, 40)}". The rules: ${this.rules.map((r) => r.name).join(', ')}.`);
    return rule;
  }

  /** /health and /metrics in parallel; anything short of a healthy /health is unhealthy. */
  async read(): Promise<Reading> {
    const { svp, log } = this.deps;
    const [health, gauges] = await Promise.all([
      svp.call('health').then(
        (r) => (r.data.status === undefined || r.data.status === 'healthy' ? 'healthy' : 'unhealthy') as Reading['health'],
        () => 'unhealthy' as const,
      ),
      svp.call('metrics').then(
        (r) => parseMetrics(String(r.data)),
        (err: Error) => {
          log.debug({ err: err.message }, 'alerts: /metrics not readable');
          return undefined;
        },
      ),
    ]);
    return { health, gauges };
  }

  /** Evaluates every rule at `now`; returns the notices this caller won and should post. */
  async evaluate(now: number, reading?: Reading): Promise<Notice[]> {
    const seen = reading ?? (await this.read());
    const [notices] = await Promise.all([Promise.all(this.rules.map((rule) => this.evaluateRule(rule, seen, now))), this.retireRemovedRules()]);
    return [...notices.filter((n): n is Notice => n !== undefined), ...(await this.lostNotices(now))];
  }

  /** The poster says the notice is out; a notice that announces a firing is remembered for its reminders. */
  async posted(notice: Notice, message?: { channelId: string; ts: string }): Promise<void> {
    const announcesFiring = notice.kind === 'fired' || (notice.kind === 'silence-expired' && notice.state.phase === 'firing');
    await updateRecord<AlertState>(this.deps.store, STATE_KIND, notice.rule.name, (current) => ({
      data: {
        ...current!,
        ...(current!.unposted?.seq === notice.seq ? { unposted: undefined } : {}),
        ...(announcesFiring && message?.ts ? { message } : {}),
      },
    }));
  }

  /** Notices claimed by a replica that never confirmed posting them; each is handed out once more. */
  private async lostNotices(now: number): Promise<Notice[]> {
    const states = await this.states();
    const lost: Notice[] = [];
    for (const rule of this.rules) {
      const state = states.get(rule.name);
      const unposted = state?.unposted;
      if (!state || !unposted || now - unposted.at < REDELIVER_MS) continue;
      // Only while it still says where the alert stands: not after a later change, nor under a silence.
      if (unposted.seq !== state.seq || state.silence) continue;
      if (!(await this.deps.store.claim('alert-redeliver', `${rule.name}:${unposted.seq}`))) continue;
      this.deps.log.warn({ rule: rule.name, kind: unposted.kind }, 'alert notice was claimed but never posted; posting it now');
      lost.push({ kind: unposted.kind, rule, state, seq: unposted.seq });
    }
    return lost;
  }

  /** A rule dropped from the file must not stay firing in the App Home for ever. */
  private async retireRemovedRules(): Promise<void> {
    const { store } = this.deps;
    const firing = await store.list<AlertState>(STATE_KIND, { activeOnly: true, limit: 1000 });
    const removed = firing.filter((r) => !this.rules.some((rule) => rule.name === r.id));
    await Promise.all(removed.map((r) => updateRecord<AlertState>(store, STATE_KIND, r.id, (s) => ({ data: { ...s!, phase: 'inactive' }, active: false }))));
  }

  async states(): Promise<Map<string, AlertState>> {
    const records = await this.deps.store.list<AlertState>(STATE_KIND, { limit: 1000 });
    return new Map(records.map((r) => [r.id, r.data]));
  }

  /** Every rule with its state, and its value in `reading` when given. */
  async status(reading?: Reading): Promise<RuleStatus[]> {
    const states = await this.states();
    return this.rules.map((rule) => ({
      rule,
      state: states.get(rule.name),
      current: reading ? formatValue(rule.condition, observe(rule.condition, reading)) : undefined,
    }));
  }

  async silence(rule: AlertRule, s: Silence): Promise<AlertState> {
    const record = await updateRecord<AlertState>(this.deps.store, STATE_KIND, rule.name, (current) => {
      const data = silence(rule, current, s);
      return { data, active: data.phase === 'firing' };
    });
    return record.data;
  }

  /** Fired and resolved transitions since `since`, newest first. */
  async history(since: number): Promise<AlertEvent[]> {
    const events = await this.deps.store.events<AlertEvent>(HISTORY, { newestFirst: true, limit: 500 });
    return events.map((e) => e.data).filter((e) => e.at >= since);
  }

  private async evaluateRule(rule: AlertRule, reading: Reading, now: number): Promise<Notice | undefined> {
    const { store } = this.deps;
    const value = observe(rule.condition, reading);
    let step: ReturnType<typeof evaluate> | undefined;
    // A conflict re-runs the step on the newer state, so the one written is the one reported.
    const record = await updateRecord<AlertState>(store, STATE_KIND, rule.name, (current) => {
      step = evaluate(rule, current, value, now);
      return { data: step.state, active: step.state.phase === 'firing' };
    });
    const { transition, notice } = step!;
    if (!transition && !notice) return undefined;
    if (!(await store.claim('alert-transition', `${rule.name}:${record.data.seq}`))) return undefined;
    if (transition) {
      await store.append<AlertEvent>(HISTORY, { rule: rule.name, severity: rule.severity, transition, value: record.data.value, at: now });
    }
    return notice ? { kind: notice, rule, state: record.data, seq: record.data.seq } : undefined;
  }
}
