import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { checkHealth } from '../src/core/health.js';
import { healthMessage } from '../src/views/health.js';

export default defineCommand({
  name: 'health',
  usage: 'health',
  summary: 'Quick Health Check: AI service, database, Cognee, frontend and an AI query, in parallel',
  examples: ['/svp health'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    const report = await checkHealth(services.svp, () => new Date(services.clock.now()));
    await services.store.put('snapshot', 'last-health', report, { active: false });
    return healthMessage(report);
  },
});
