import { defineCommand } from '../src/app/command.js';
import { text } from '../src/app/args.js';
import { withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident note',
  usage: 'incident note [INC-id] <text>',
  summary: 'Add a note to the incident timeline (for the post-mortem)',
  examples: ['/svp incident note Groq status page reports degraded performance'],
  args: withIncident(text('a note')),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id, args }) => changeIncident(ctx, id, { type: 'note', text: args }),
});
