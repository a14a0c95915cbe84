import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { runStep } from '../src/core/ops.js';
import { stepMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee warm-up',
  usage: 'cognee warm-up',
  summary: 'Warm up the Cognee query cache after a cold start (POST /cognee/warm-up)',
  examples: ['/svp cognee warm-up'],
  args: noArgs,
  effect: 'mutate',
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await runStep(services.svp, 'warmUp');
    return stepMessage('Cache warmed up', data, { endpoint: 'warmUp', latencyMs, target: services.svp.target }, 'Check the hit rate with `/svp cognee stats`.');
  },
});
