/** Timeline entries as sentences, shared by the Slack views and the post-mortem draft. */
import { formatDuration } from '../alerts/duration.js';
import { itemLabel, SEVERITY_LEVELS, type Incident, type IncidentEvent, type IncidentState, type TimerKind } from './model.js';

/** How a user id is shown: `<@U…>` in Slack text, `@U…` in Markdown. */
export type Who = (userId: string) => string;

export const utcTime = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
export const utcDateTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const timerText: Record<TimerKind, string> = {
  response: 'response target breached: reminder posted',
  lead: 'unresolved after 30 min: team lead notified',
  manager: 'P0 unresolved after 1 h: engineering manager notified',
  nudge: 'status update nudge posted',
  postmortem: 'post-mortem not done 7 days after resolution: reminder posted',
};

export function declarationText(incident: Incident, who: Who): string {
  return `declared ${incident.severity} by ${who(incident.declaredBy)}: ${incident.title}`;
}

export function describeEvent(e: IncidentEvent, who: Who): string {
  switch (e.type) {
    case 'tick':
      return `${who(e.by)} ticked “${itemLabel(e.item) ?? e.item}”`;
    case 'untick':
      return `${who(e.by)} unticked “${itemLabel(e.item) ?? e.item}”`;
    case 'status':
      return `status from ${who(e.by)}: ${e.text}`;
    case 'note':
      return `note from ${who(e.by)}: ${e.text}`;
    case 'severity':
      return `${who(e.by)} changed the severity to ${e.severity} (${SEVERITY_LEVELS[e.severity].name})`;
    case 'commander':
      return `${who(e.by)} made ${who(e.commander)} the commander`;
    case 'snooze':
      return `${who(e.by)} snoozed status nudges until ${utcTime(e.until)}`;
    case 'resolved':
      return `resolved by ${who(e.by)}`;
    case 'postmortem-done':
      return `post-mortem marked done by ${who(e.by)}`;
    case 'timer':
      return timerText[e.timer];
  }
}

/** Whole minutes ("0m", "45m", "1h 20m"): seconds are noise at incident scale. */
export const minutes = (ms: number) => (ms < 60_000 ? '0m' : formatDuration(Math.floor(ms / 60_000) * 60_000));

/** From declaration to resolution, or to now while open. */
export function incidentDuration(state: IncidentState, now: number): string {
  return minutes((state.resolved?.at ?? now) - state.incident.declaredAt);
}
