/**
 * Incident buttons and checkboxes, and the helpers the incident commands and the declare
 * form share: find the incident meant, apply a change, declare with an audit entry.
 */
import { defineAction, type Context } from '../app/command.js';
import { note, type Message } from '../core/message.js';
import { isOpsError, OpsError } from '../errors.js';
import { isSeverity } from '../core/incidents/model.js';
import type { DeclareInput, IncidentChange } from '../core/incidents/service.js';
import { TITLE_MAX } from '../core/incidents/args.js';
import { readChecklistBlockId } from '../views/incident.js';
import { utcTime } from '../core/incidents/timeline.js';

/** Records a click or form submission in the audit log as the dispatcher does for commands. */
async function audited<T>(ctx: Context, action: string, args: string, work: () => Promise<T>): Promise<T> {
  const entry = { userId: ctx.actor.userId, action, args: args.slice(0, 200), channelId: ctx.actor.channelId, correlationId: ctx.correlationId };
  try {
    const result = await work();
    await ctx.services.audit.record({ ...entry, outcome: 'ok' });
    return result;
  } catch (err) {
    await ctx.services.audit.record({ ...entry, outcome: 'failed', detail: isOpsError(err) ? err.userMessage : 'internal error' });
    throw err;
  }
}

/** Applies a change to the incident the actor means (id, or the thread/channel they are in). */
export async function changeIncident(ctx: Context, id: string | undefined, change: IncidentChange): Promise<Message> {
  const { incidents } = ctx.services;
  const state = await incidents.locate({ id, channelId: ctx.actor.channelId, threadTs: ctx.actor.threadTs });
  await incidents.change(state.incident.id, ctx.actor.userId, change);
  return note(`Done: ${state.incident.id} updated; the change is in its thread and timeline.`);
}

/** Declares from the form or a "Declare incident" button; the command goes through the dispatcher's audit instead. */
export async function declareIncident(ctx: Context, input: Omit<DeclareInput, 'declaredBy'>): Promise<Message> {
  const state = await audited(ctx, 'incident declare', `${input.severity} ${input.title}`, () => ctx.services.incidents.declare({ ...input, declaredBy: ctx.actor.userId }));
  const room = state.incident.room;
  return note(`${state.incident.id} declared${room ? ` in <#${room.channelId}>` : ''}: run it from its message and thread.`);
}

export const tickAction = defineAction({
  id: 'incident.tick',
  effect: 'mutate',
  async run(ctx, click) {
    const checklist = readChecklistBlockId(click.blockId ?? '');
    if (!checklist) return note('This checklist is from an older message; use the incident message `/svp incident list` points to.');
    const changes = checklist.changes(click.selected ?? []);
    if (changes.length) await ctx.services.incidents.tick(checklist.incidentId, ctx.actor.userId, changes);
  },
});

export const resolveAction = defineAction({
  id: 'incident.resolve',
  effect: 'mutate',
  run: (ctx, click) => audited(ctx, 'incident resolve', click.value, () => changeIncident(ctx, click.value, { type: 'resolved' })),
});

export const postmortemDoneAction = defineAction({
  id: 'incident.postmortem',
  effect: 'mutate',
  run: (ctx, click) => audited(ctx, 'incident postmortem done', click.value, () => changeIncident(ctx, click.value, { type: 'postmortem-done' })),
});

export const snoozeAction = defineAction({
  id: 'incident.snooze',
  effect: 'mutate',
  async run(ctx, click) {
    const [id = '', minutes = ''] = click.value.split('|');
    if (!(Number(minutes) > 0)) throw new OpsError('usage', 'This snooze button is malformed.');
    const until = ctx.services.clock.now() + Number(minutes) * 60_000;
    await changeIncident(ctx, id, { type: 'snooze', until });
    return note(`Status nudges for ${id} snoozed until ${utcTime(until)}.`);
  },
});

/** From a health report or an alert: value `<P0-P3>|<title>`. Slack opens the form instead (src/slack/listeners/views.ts). */
export const declareAction = defineAction({
  id: 'incident.declare',
  effect: 'mutate',
  async run(ctx, click) {
    const { severity, title } = parseDeclareValue(click.value);
    return declareIncident(ctx, { severity, title, channelId: ctx.actor.channelId });
  },
});

export function parseDeclareValue(value: string): { severity: DeclareInput['severity']; title: string } {
  const [severity = '', ...rest] = value.split('|');
  const title = rest.join('|').trim().slice(0, TITLE_MAX);
  if (!isSeverity(severity) || !title) throw new OpsError('usage', 'This button does not carry a severity and title; use `/svp incident declare <P0-P3> <title>`.');
  return { severity, title };
}
