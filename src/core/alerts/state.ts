/**
 * Alertmanager's semantics as a pure function of (state, observation, now):
 * inactive → pending when the condition starts holding → firing once it has held for the
 * rule's duration → inactive again (resolved) when it stops. A pending alert whose
 * condition lapses goes back to inactive without a word, which is what keeps a flapping
 * metric quiet. Silences mute notices, never the state; their expiry is announced.
 */
import { formatValue, holds, type HealthWord } from './conditions.js';
import type { AlertRule, Severity } from './rules.js';

export type Phase = 'inactive' | 'pending' | 'firing';

export interface Silence {
  until: number;
  by: string;
  reason?: string;
}

/** Persisted as the record ('alert-state', rule name), active while firing. */
export interface AlertState {
  rule: string;
  severity: Severity;
  /** The condition as written, e.g. "error_rate > 5%". */
  condition: string;
  phase: Phase;
  /** When the condition started holding (pending and firing). */
  since?: number;
  /** When the alert last started firing; kept after it resolves. */
  firingSince?: number;
  resolvedAt?: number;
  /** The last observed value as people read it ("7%", "no data"). */
  value: string;
  observedAt?: number;
  /** When the last fired or reminder notice went out. */
  notifiedAt?: number;
  /** Transitions and notices so far: `<rule>:<seq>` is each one's exactly-once key. */
  seq: number;
  silence?: Silence;
  /** The message that announced the firing: reminders go to its thread. */
  message?: { channelId: string; ts: string };
  /**
   * The last notice, until its post is confirmed: a replica that died between claiming it
   * and posting it would otherwise lose it. A newer notice takes its place.
   */
  unposted?: { kind: NoticeKind; seq: number; at: number };
}

/** A change of phase, kept in the history whether or not anyone was told. */
export type Transition = 'fired' | 'resolved';
/** What is posted. */
export type NoticeKind = 'fired' | 'resolved' | 'reminder' | 'silence-expired';

export interface Step {
  state: AlertState;
  transition?: Transition;
  notice?: NoticeKind;
}

export function initialState(rule: AlertRule): AlertState {
  return { rule: rule.name, severity: rule.severity, condition: rule.condition.text, phase: 'inactive', value: 'no data', seq: 0 };
}

/**
 * One evaluation. `value` undefined means no data (SVP unreachable, gauge missing, or
 * inhibited by ServiceDown): the phase holds, since nothing shows the condition changed.
 */
export function evaluate(rule: AlertRule, previous: AlertState | undefined, value: number | HealthWord | undefined, now: number): Step {
  const prior = previous ?? initialState(rule);
  const silenceEnded = prior.silence !== undefined && now >= prior.silence.until;
  let state: AlertState = {
    ...prior,
    severity: rule.severity,
    condition: rule.condition.text,
    value: formatValue(rule.condition, value),
    observedAt: now,
    silence: silenceEnded ? undefined : prior.silence,
  };
  let transition: Transition | undefined;
  let reminder = false;
  if (value !== undefined) {
    const on = holds(rule.condition, value);
    if (!on) {
      if (prior.phase === 'firing') {
        transition = 'resolved';
        state = { ...state, resolvedAt: now };
      }
      state = { ...state, phase: 'inactive', since: undefined };
    } else if (prior.phase === 'firing') {
      // Counted from the later of the firing and the last notice: a firing that was silenced has none.
      const last = Math.max(prior.notifiedAt ?? 0, prior.firingSince ?? 0);
      reminder = rule.remindMs !== undefined && now - last >= rule.remindMs;
    } else {
      const since = prior.phase === 'pending' ? prior.since! : now;
      if (now - since >= rule.forMs) {
        transition = 'fired';
        state = { ...state, phase: 'firing', since, firingSince: now, resolvedAt: undefined };
      } else state = { ...state, phase: 'pending', since };
    }
  }
  const notice = noticeOf(state, transition, reminder, silenceEnded);
  if (notice === 'fired' || notice === 'reminder' || (notice === 'silence-expired' && state.phase === 'firing')) state = { ...state, notifiedAt: now };
  if (transition || notice) state = { ...state, seq: state.seq + 1 };
  if (notice) state = { ...state, unposted: { kind: notice, seq: state.seq, at: now } };
  return { state, transition, notice };
}

function noticeOf(state: AlertState, transition: Transition | undefined, reminder: boolean, silenceEnded: boolean): NoticeKind | undefined {
  if (state.silence) return undefined;
  // The expiry notice says where the alert stands now, so it stands in for this step's own.
  if (silenceEnded) return 'silence-expired';
  return transition ?? (reminder ? 'reminder' : undefined);
}

/** Mutes the rule's notices until `until`; a later silence replaces an earlier one. */
export function silence(rule: AlertRule, previous: AlertState | undefined, s: Silence): AlertState {
  return { ...(previous ?? initialState(rule)), silence: s };
}
