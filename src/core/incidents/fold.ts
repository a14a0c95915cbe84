/**
 * The current state of an incident is a fold of its append-only event stream over the
 * declaration. Concurrent ticks are separate events, so none overwrites another; the
 * store's seq orders them the same way on every replica.
 */
import type { Incident, IncidentEvent, IncidentState } from './model.js';

export function foldIncident(incident: Incident, events: readonly { seq: number; data: IncidentEvent }[]): IncidentState {
  const state: IncidentState = {
    incident,
    severity: incident.severity,
    commander: incident.commander,
    checks: {},
    fired: [],
    timeline: [],
    seq: 0,
  };
  for (const { seq, data: e } of events) {
    state.seq = Math.max(state.seq, seq);
    state.timeline.push(e);
    switch (e.type) {
      case 'tick':
        // A second tick of a done item keeps the first ticker's name.
        if (!state.checks[e.item]?.done) state.checks[e.item] = { done: true, by: e.by, at: e.at };
        break;
      case 'untick':
        state.checks[e.item] = { done: false, by: e.by, at: e.at };
        break;
      case 'status':
        state.lastStatus = { text: e.text, by: e.by, at: e.at };
        break;
      case 'severity':
        state.severity = e.severity;
        break;
      case 'commander':
        state.commander = e.commander;
        break;
      case 'snooze':
        state.snoozedUntil = Math.max(state.snoozedUntil ?? 0, e.until);
        break;
      case 'resolved':
        state.resolved ??= { at: e.at, by: e.by };
        break;
      case 'postmortem-done':
        state.postmortemDone ??= { at: e.at, by: e.by };
        break;
      case 'timer':
        state.fired.push(e.key);
        if (e.timer === 'nudge') state.lastNudgeAt = Math.max(state.lastNudgeAt ?? 0, e.at);
        break;
      case 'note':
        break;
    }
    if ((e.type === 'tick' || e.type === 'untick' || e.type === 'status' || e.type === 'note') && state.firstResponseAt === undefined) {
      state.firstResponseAt = e.at;
    }
  }
  return state;
}

export const isOpen = (s: IncidentState) => !s.resolved;

/** Items done, per the whole checklist. */
export const doneCount = (s: IncidentState) => Object.values(s.checks).filter((c) => c.done).length;
