/** Incidents as plain messages: the incident message with its checklist, thread lines, list. */
import type { Button, Message, Part } from '../core/message.js';
import { untrusted } from '../core/message.js';
import { CHECKLIST, CHECKLIST_ITEMS, SEVERITY_LEVELS, type IncidentState, type ThreadEvent } from '../core/incidents/model.js';
import { doneCount } from '../core/incidents/fold.js';
import { incidentDuration, minutes, utcTime } from '../core/incidents/timeline.js';
import type { Contacts, IncidentViews } from '../core/incidents/service.js';
import type { DueTimer } from '../core/incidents/timers.js';
import { INCIDENT_ID } from '../core/incidents/repository.js';

/** A user (U…/W…) or user group (S…) as a Slack mention. */
export const mention = (id: string) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);
const mentions = (ids: readonly string[]) => ids.map(mention).join(' ');

const SNOOZE_MINUTES = 60;

/**
 * The checkbox group of one step carries the incident, the step and the ticks its reader
 * saw (e.g. `INC-7K2Q/s2/0110`), so a click is read as the one box that reader changed,
 * even when others ticked boxes in the same step a moment before.
 */
export function checklistBlockId(state: IncidentState, step: number): string {
  const items = CHECKLIST[step - 1]?.items ?? [];
  return `${state.incident.id}/s${step}/${items.map((i) => (state.checks[i.id]?.done ? '1' : '0')).join('')}`;
}

export function readChecklistBlockId(blockId: string): { incidentId: string; changes: (selected: readonly string[]) => { item: string; done: boolean }[] } | undefined {
  const [incidentId = '', step = '', seen = ''] = blockId.split('/');
  const items = /^s\d$/.test(step) ? CHECKLIST[Number(step.slice(1)) - 1]?.items : undefined;
  if (!INCIDENT_ID.test(incidentId) || !items || !/^[01]+$/.test(seen) || seen.length !== items.length) return undefined;
  return {
    incidentId,
    changes: (selected) =>
      items.flatMap((item, i) => {
        const done = selected.includes(item.id);
        return done === (seen[i] === '1') ? [] : [{ item: item.id, done }];
      }),
  };
}

function responseLine(state: IncidentState, now: number): string {
  const level = SEVERITY_LEVELS[state.severity];
  const { declaredAt } = state.incident;
  if (state.firstResponseAt !== undefined) return `${level.target} · responded after ${minutes(state.firstResponseAt - declaredAt)}`;
  if (now - declaredAt > level.targetMs) return `${level.target} · :warning: breached, no response for ${minutes(now - declaredAt)}`;
  return `${level.target} · due by ${utcTime(declaredAt + level.targetMs)}`;
}

function incidentMessage(state: IncidentState, now: number): Message {
  const { incident } = state;
  const level = SEVERITY_LEVELS[state.severity];
  const phase = state.postmortemDone ? 'closed' : state.resolved ? 'resolved' : 'open';
  const fields = [
    { label: 'Severity', value: `${state.severity} — ${level.name}` },
    { label: 'Response target', value: responseLine(state, now) },
    { label: 'Commander', value: state.commander ? mention(state.commander) : `none yet: \`/svp incident commander ${incident.id} @name\`` },
    { label: 'Status', value: state.resolved ? `:white_check_mark: resolved by ${mention(state.resolved.by)} after ${incidentDuration(state, now)}` : `:red_circle: open for ${incidentDuration(state, now)}` },
    ...(incident.feature ? [{ label: 'Affected feature', value: untrusted(incident.feature) }] : []),
    ...(state.lastStatus ? [{ label: 'Latest update', value: `${untrusted(state.lastStatus.text)} — ${mention(state.lastStatus.by)}, ${utcTime(state.lastStatus.at)}` }] : []),
  ];
  const parts: Part[] = [
    { type: 'header', text: `${state.resolved ? ':white_check_mark:' : ':rotating_light:'} ${state.severity} ${incident.id}: ${incident.title}` },
    { type: 'fields', fields },
    ...CHECKLIST.map((s): Part => ({
      type: 'checklist',
      id: checklistBlockId(state, s.step),
      actionId: 'incident.tick',
      title: `Step ${s.step}: ${s.title} · ${s.items.filter((i) => state.checks[i.id]?.done).length}/${s.items.length}`,
      items: s.items.map((i) => {
        const check = state.checks[i.id];
        return { id: i.id, label: i.label, done: !!check?.done, note: check?.done ? `${mention(check.by)} · ${utcTime(check.at)}` : undefined };
      }),
    })),
  ];
  const buttons: Button[] = [];
  if (!state.resolved) {
    buttons.push({ label: 'Resolve', actionId: 'incident.resolve', value: incident.id, style: 'primary', confirm: { title: `Resolve ${incident.id}?`, text: 'This marks the incident resolved, stops its timers and posts the post-mortem draft in the thread.', confirm: 'Resolve', deny: 'Not yet' } });
  } else if (!state.postmortemDone) buttons.push(postmortemDoneButton(incident.id));
  if (buttons.length) parts.push({ type: 'actions', buttons });
  parts.push({ type: 'context', text: `Declared by ${mention(incident.declaredBy)} at ${utcTime(incident.declaredAt)} · ${incident.id} · in the thread: \`/svp incident status|note|severity|commander|resolve\`` });
  return { text: `${state.severity} incident ${incident.id}: ${untrusted(incident.title)} — ${phase}, ${doneCount(state)}/${CHECKLIST_ITEMS.length} checklist items done`, parts, visibility: 'channel' };
}

const postmortemDoneButton = (id: string): Button => ({ label: 'Mark post-mortem done', actionId: 'incident.postmortem', value: id });

const line = (text: string, extra: Part[] = []): Message => ({ text, parts: [{ type: 'text', text }, ...extra], visibility: 'channel' });

function changeMessage(e: ThreadEvent, state: IncidentState, now: number): Message {
  const id = state.incident.id;
  switch (e.type) {
    case 'status':
      return line(`:memo: *Status update* from ${mention(e.by)}: ${untrusted(e.text)}`);
    case 'note':
      return line(`:pushpin: Note from ${mention(e.by)}: ${untrusted(e.text)}`);
    case 'severity':
      return line(`:arrow_up_down: ${mention(e.by)} changed the severity of ${id} to *${e.severity}* (${SEVERITY_LEVELS[e.severity].name}): response target ${SEVERITY_LEVELS[e.severity].target}.`);
    case 'commander':
      return line(`:bust_in_silhouette: ${mention(e.commander)} is now the commander of ${id} (set by ${mention(e.by)}).`);
    case 'resolved':
      return line(`:white_check_mark: *${id} resolved* by ${mention(e.by)} after ${incidentDuration(state, now)}. The post-mortem draft follows; Step 6 asks for it within a week.`);
    case 'postmortem-done':
      return line(`:spiral_note_pad: The post-mortem of ${id} was marked done by ${mention(e.by)}. The incident is closed.`);
  }
}

function timerMessage(timer: DueTimer, state: IncidentState, contacts: Contacts, now: number): Message {
  const { id } = state.incident;
  const level = SEVERITY_LEVELS[state.severity];
  const who = (ids: readonly string[], variable: string, role: string) => (ids.length ? `${mentions(ids)}, please join.` : `No ${role} is configured (${variable}).`);
  switch (timer.kind) {
    case 'response':
      return line(`:alarm_clock: *Response target breached* — ${state.severity} incidents need a response ${level.target === 'Immediate' ? 'immediately' : `in ${level.target.slice(2)}`}, and nothing has been ticked or posted on ${id} for ${minutes(now - state.incident.declaredAt)}. ${who([...contacts.oncall, ...(state.commander ? [state.commander] : [])], 'SVP_ONCALL', 'on-call engineer')}`);
    case 'lead':
      return line(`:arrow_double_up: *Escalation: team lead* — ${id} is unresolved after 30 minutes. ${who(contacts.lead, 'SVP_ESCALATION_LEAD', 'team lead')}`);
    case 'manager':
      return line(`:arrow_double_up: *Escalation: engineering manager* — P0 ${id} is unresolved after 1 hour. ${who(contacts.manager, 'SVP_ESCALATION_MANAGER', 'engineering manager')}`);
    case 'nudge': {
      const since = Math.max(state.incident.declaredAt, state.lastStatus?.at ?? 0);
      return line(`:memo: *Status update due* on ${id}: the last one was ${minutes(now - since)} ago. Post one with \`/svp incident status <text>\`${state.commander ? ` (${mention(state.commander)})` : ''}.`, [
        { type: 'actions', buttons: [{ label: `Snooze ${SNOOZE_MINUTES} min`, actionId: 'incident.snooze', value: `${id}|${SNOOZE_MINUTES}` }] },
      ]);
    }
    case 'postmortem':
      return line(`:spiral_note_pad: *Post-mortem overdue* — ${id} was resolved ${minutes(now - (state.resolved?.at ?? now))} ago and its post-mortem is not marked done (Step 6: within 1 week).`, [
        { type: 'actions', buttons: [postmortemDoneButton(id)] },
      ]);
  }
}

function postmortemMessage(state: IncidentState, markdown: string, source: 'groq' | 'deterministic'): Message {
  const { id } = state.incident;
  return {
    text: `Post-mortem draft for ${id}`,
    visibility: 'channel',
    parts: [
      { type: 'header', text: `Post-mortem draft: ${id}` },
      { type: 'code', text: markdown },
      { type: 'actions', buttons: [postmortemDoneButton(id)] },
      { type: 'context', text: `${source === 'groq' ? 'Summary written by Groq from the timeline; check it.' : 'Summary put together from the timeline.'} Copy the Markdown, fill in the root cause and prevention, then mark it done.` },
    ],
  };
}

function roomNotice(state: IncidentState, failure?: string): Message {
  const { incident } = state;
  if (incident.room) return line(`:rotating_light: ${state.severity} incident ${incident.id} declared by ${mention(incident.declaredBy)}: ${untrusted(incident.title)} — follow it in <#${incident.room.channelId}>.`);
  return line(`:warning: Could not create a channel for ${incident.id} (${untrusted(failure ?? 'unknown reason')}); it is run here instead.`);
}

export const incidentViews: IncidentViews = {
  incident: incidentMessage,
  change: changeMessage,
  timer: timerMessage,
  postmortem: postmortemMessage,
  roomNotice,
};

/** One line per live incident: age against the response target, commander, where. */
export function incidentLine(state: IncidentState, now: number): string {
  const { incident } = state;
  const where = incident.message ? ` · in <#${incident.message.channelId}>` : '';
  const phase = state.resolved ? `resolved after ${incidentDuration(state, now)}, post-mortem pending` : `open ${incidentDuration(state, now)} · target ${responseLine(state, now)}`;
  return `*${incident.id}* · ${state.severity} · ${untrusted(incident.title)} · ${phase} · commander ${state.commander ? mention(state.commander) : 'none'}${where}`;
}

export function incidentListMessage(states: readonly IncidentState[], now: number): Message {
  if (!states.length) return { text: 'No open incidents.', parts: [{ type: 'text', text: 'No open incidents. Declare one with `/svp incident declare <P0-P3> <title>`.' }] };
  return {
    text: `${states.length} live incident${states.length === 1 ? '' : 's'}`,
    parts: [{ type: 'header', text: 'Incidents' }, { type: 'text', text: states.map((s) => incidentLine(s, now)).join('\n') }],
  };
}
