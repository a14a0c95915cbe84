import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { checkAndRememberHealth } from '../src/core/health.js';
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
    return healthMessage(await checkAndRememberHealth(services.svp, services.store, () => new Date(services.clock.now())));
  },
});
