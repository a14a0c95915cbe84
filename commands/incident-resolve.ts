import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident resolve',
  usage: 'incident resolve [INC-id]',
  summary: 'Resolve the incident: stops its timers, posts the duration and the post-mortem draft',
  examples: ['/svp incident resolve', '/svp incident resolve INC-7K2Q'],
  args: withIncident(noArgs),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id }) => changeIncident(ctx, id, { type: 'resolved' }),
});
