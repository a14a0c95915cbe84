import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident postmortem done',
  usage: 'incident postmortem done [INC-id]',
  summary: 'Mark the post-mortem written (Step 6); stops its 7-day reminder and closes the incident',
  examples: ['/svp incident postmortem done INC-7K2Q'],
  args: withIncident(noArgs),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id }) => changeIncident(ctx, id, { type: 'postmortem-done' }),
});
