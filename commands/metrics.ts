import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { readMetrics } from '../src/core/metrics.js';
import { metricsMessage } from '../src/views/health.js';

export default defineCommand({
  name: 'metrics',
  usage: 'metrics',
  summary: 'Key Metrics against the Healthy Baselines (error rate, p95, cache hit rate, memory, CPU)',
  examples: ['/svp metrics'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    return metricsMessage(await readMetrics(services.svp, () => new Date(services.clock.now())));
  },
});
