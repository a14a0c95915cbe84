/**
 * The incident's timers as due times computed from its state, so they need no storage of
 * their own and survive restarts: a sweep job asks which are due, and each fires once
 * (claimed in the store under its key, then recorded as a 'timer' event).
 */
import { SEVERITY_LEVELS, type IncidentState, type TimerKind } from './model.js';

const MINUTE = 60_000;

/** The Escalation Path of RUNBOOK.md, status nudges and the post-mortem deadline. */
export const LEAD_AFTER_MS = 30 * MINUTE;
export const MANAGER_AFTER_MS = 60 * MINUTE;
export const NUDGE_EVERY_MS = 30 * MINUTE;
export const POSTMORTEM_WITHIN_MS = 7 * 24 * 60 * MINUTE;

export interface DueTimer {
  kind: TimerKind;
  /** Unique per firing: `<incident id>:<kind>` (nudges add their due time). */
  key: string;
  dueAt: number;
}

/** The timers whose due time has passed and that have not fired yet. */
export function dueTimers(state: IncidentState, now: number): DueTimer[] {
  return candidateTimers(state).filter((t) => t.dueAt <= now && !state.fired.includes(t.key));
}

function candidateTimers(state: IncidentState): DueTimer[] {
  const { incident } = state;
  const timer = (kind: TimerKind, dueAt: number, suffix = ''): DueTimer => ({ kind, key: `${incident.id}:${kind}${suffix}`, dueAt });
  if (state.resolved) {
    return state.postmortemDone ? [] : [timer('postmortem', state.resolved.at + POSTMORTEM_WITHIN_MS)];
  }
  const timers: DueTimer[] = [timer('lead', incident.declaredAt + LEAD_AFTER_MS)];
  if (state.firstResponseAt === undefined) timers.push(timer('response', incident.declaredAt + SEVERITY_LEVELS[state.severity].targetMs));
  if (state.severity === 'P0') timers.push(timer('manager', incident.declaredAt + MANAGER_AFTER_MS));
  if (state.severity === 'P0' || state.severity === 'P1') {
    const since = Math.max(incident.declaredAt, state.lastStatus?.at ?? 0, state.lastNudgeAt ?? 0);
    const dueAt = Math.max(since + NUDGE_EVERY_MS, state.snoozedUntil ?? 0);
    timers.push(timer('nudge', dueAt, `:${dueAt}`));
  }
  return timers;
}
