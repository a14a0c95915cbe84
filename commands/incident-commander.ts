import { defineCommand } from '../src/app/command.js';
import { userMention, withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident commander',
  usage: 'incident commander [INC-id] <@user>',
  summary: 'Name the incident commander',
  examples: ['/svp incident commander @carol'],
  args: withIncident(userMention),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id, args }) => changeIncident(ctx, id, { type: 'commander', commander: args }),
});
