import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { runStep } from '../src/core/ops.js';
import { stepMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cache clear',
  usage: 'cache clear',
  summary: "Clear the cache: every entry of the AI service's query cache, e.g. at high memory (POST /cache/clear)",
  examples: ['/svp cache clear'],
  args: noArgs,
  effect: 'destructive',
  danger: (_args, { services }) => ({
    title: 'Clear the whole SVP query cache?',
    text: `POST /cache/clear on ${services.svp.target} deletes every entry of the AI service's query cache. Hit rate drops to 0%: queries are slower until it refills (then /svp cache warm-up).`,
  }),
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await runStep(services.svp, 'cacheClear');
    return stepMessage('Query cache cleared', data, { endpoint: 'cacheClear', latencyMs, target: services.svp.target }, 'Warm it up again with `/svp cache warm-up`.');
  },
});
