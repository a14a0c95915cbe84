import { defineCommand } from '../src/app/command.js';
import { severity, withIncident } from '../src/core/incidents/args.js';
import { changeIncident } from '../src/interactions/incident.js';

export default defineCommand({
  name: 'incident severity',
  usage: 'incident severity [INC-id] <P0-P3>',
  summary: 'Change the severity (and so the response target and escalation)',
  examples: ['/svp incident severity P0'],
  args: withIncident(severity),
  effect: 'mutate',
  permission: 'everyone',
  run: (ctx, { id, args }) => changeIncident(ctx, id, { type: 'severity', severity: args }),
});
