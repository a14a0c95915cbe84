/**
 * The post-mortem draft of Step 6, in Markdown: summary, impact, the timeline merged from
 * the incident's events and the audit log, the root cause to fill in and the prevention
 * items. Pure: the caller gathers the audit entries and the summary.
 */
import type { AuditEntry } from '../../app/audit.js';
import { CHECKLIST, SEVERITY_LEVELS, type IncidentState } from './model.js';
import { declarationText, describeEvent, incidentDuration, minutes, utcDateTime, utcTime, type Who } from './timeline.js';

const who: Who = (id) => `@${id}`;
/** User text must not close the code block the draft is shown in. */
const safe = (text: string) => text.replace(/`/g, "'").replace(/\s+/g, ' ').trim();

export interface PostmortemInput {
  state: IncidentState;
  /** Audit entries of the incident's lifetime (any order). */
  audit: readonly AuditEntry[];
  summary: string;
  now: number;
}

/** Audit entries between declaration and resolution, except the incident's own commands (already on its timeline). */
export function auditDuring(state: IncidentState, audit: readonly AuditEntry[], now: number): AuditEntry[] {
  const from = state.incident.declaredAt;
  const to = state.resolved?.at ?? now;
  return audit.filter((a) => a.at >= from && a.at <= to && !a.action.startsWith('incident')).sort((a, b) => a.at - b.at);
}

export function postmortemMarkdown({ state, audit, summary, now }: PostmortemInput): string {
  const { incident } = state;
  const level = SEVERITY_LEVELS[state.severity];
  const lines = [
    `# Post-mortem: ${incident.id} ${safe(incident.title)}`,
    '',
    `- Severity: ${state.severity} (${level.name}), response target ${level.target}`,
    `- Declared: ${utcDateTime(incident.declaredAt)} by ${who(incident.declaredBy)}`,
    `- Resolved: ${state.resolved ? `${utcDateTime(state.resolved.at)} by ${who(state.resolved.by)}` : 'not yet'}`,
    `- Duration: ${incidentDuration(state, now)}`,
    `- Commander: ${state.commander ? who(state.commander) : 'none named'}`,
    '',
    '## Summary',
    '',
    safe(summary),
    '',
    '## Impact',
    '',
    `- Affected feature: ${incident.feature ? safe(incident.feature) : 'to fill in'}`,
    `- Users affected: to fill in`,
    `- Time to first response: ${state.firstResponseAt === undefined ? 'no response recorded' : `${minutes(state.firstResponseAt - incident.declaredAt)} (${state.firstResponseAt - incident.declaredAt <= level.targetMs ? 'within' : 'outside'} the target)`}`,
    `- Time to resolution: ${incidentDuration(state, now)}`,
    '',
    '## Timeline (UTC)',
    '',
    ...timelineLines(state, audit, now),
    '',
    '## Root cause',
    '',
    'To fill in (Step 4: Root Cause Analysis): what failed, why, and why it was not caught earlier.',
    '',
    '## Prevention',
    '',
    ...preventionLines(state),
  ];
  return lines.join('\n');
}

function timelineLines(state: IncidentState, audit: readonly AuditEntry[], now: number): string[] {
  const entries = [
    { at: state.incident.declaredAt, text: declarationText(state.incident, who) },
    ...state.timeline.map((e) => ({ at: e.at, text: describeEvent(e, who) })),
    ...auditDuring(state, audit, now).map((a) => ({ at: a.at, text: `${who(a.userId)} ran ${a.action}${a.args ? ` ${a.args}` : ''}: ${a.outcome}${a.detail ? ` (${a.detail})` : ''}` })),
  ];
  // A stable sort keeps same-minute entries in the order they were recorded.
  return entries.sort((a, b) => a.at - b.at).map((e) => `- ${utcTime(e.at)} ${safe(e.text).slice(0, 300)}`);
}

/** Step 6's own items, then every checklist item left undone as a follow-up. */
function preventionLines(state: IncidentState): string[] {
  const open = CHECKLIST.flatMap((s) => s.items.filter((i) => !state.checks[i.id]?.done).map((i) => `- [ ] Step ${s.step}: ${i.label}`));
  return [
    '- [ ] Preventative measures: to fill in',
    '- [ ] Update the runbook (RUNBOOK.md) with what was learned',
    ...(open.length ? ['', 'Checklist items still open:', ...open] : []),
  ];
}
