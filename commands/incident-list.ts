import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { incidentListMessage } from '../src/views/incident.js';

export default defineCommand({
  name: 'incident list',
  usage: 'incident list',
  summary: 'Open incidents (and those awaiting their post-mortem) with their age against the response target',
  examples: ['/svp incident list'],
  args: noArgs,
  effect: 'read',
  async run({ services }) {
    return incidentListMessage(await services.incidents.live(), services.clock.now());
  },
});
