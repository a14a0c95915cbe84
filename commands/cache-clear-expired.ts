import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { runStep } from '../src/core/ops.js';
import { stepMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cache clear-expired',
  usage: 'cache clear-expired',
  summary: 'Clear expired cache entries only, as in the weekly maintenance (POST /cache/clear-expired)',
  examples: ['/svp cache clear-expired'],
  args: noArgs,
  effect: 'mutate',
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await runStep(services.svp, 'cacheClearExpired');
    return stepMessage('Expired cache entries cleared', data, { endpoint: 'cacheClearExpired', latencyMs, target: services.svp.target });
  },
});
