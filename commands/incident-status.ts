import { defineCommand } from '../src/app/command.js';
import { text } from '../src/app/args.js';
import { withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident status',
  usage: 'incident status [INC-id] <text>',
  summary: 'Post a status update in the incident thread and its timeline (in its thread or channel, or with its id)',
  examples: ['/svp incident status Rolled back to v1.2.3, error rate falling', '/svp incident status INC-7K2Q investigating'],
  args: withIncident(text('a status update')),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id, args }) => changeIncident(ctx, id, { type: 'status', text: args }),
});
