import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { cacheStatsMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee stats',
  usage: 'cognee stats',
  summary: 'Cache stats: hit rate against the baseline, size, hit and miss latency (GET /cognee/cache/stats)',
  examples: ['/svp cognee stats'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await services.svp.call('cacheStats');
    return cacheStatsMessage(data, { endpoint: 'cacheStats', latencyMs, target: services.svp.target });
  },
});
