import { defineCommand } from '../src/app/command.js';
import { note } from '../src/core/message.js';
import { declareArgs } from '../src/core/incidents/args.js';

export default defineCommand({
  name: 'incident declare',
  usage: 'incident declare <P0-P3> <title>',
  summary: 'Declare an incident: one message with its severity, response target, commander and the Incident Response Checklist (no arguments: a form, in Slack)',
  examples: ['/svp incident declare P1 AI queries failing', '/svp incident declare'],
  args: declareArgs,
  effect: 'mutate',
  // SPEC: everyone may declare an incident.
  permission: 'everyone',
  async run(ctx, args) {
    // Slack opens the form before this runs (src/slack/listeners/views.ts); elsewhere there is no form.
    if ('form' in args) return note('Usage: `/svp incident declare <P0-P3> <title>`, e.g. `/svp incident declare P1 AI queries failing`.');
    const state = await ctx.services.incidents.declare({ ...args, declaredBy: ctx.actor.userId, channelId: ctx.actor.channelId });
    const room = state.incident.room;
    return note(`${state.incident.id} declared${room ? ` in <#${room.channelId}>` : ''}: run it from its message and thread.`);
  },
});
