import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { cogneeHealthMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee health',
  usage: 'cognee health',
  summary: 'Cognee status: ready, graph database, entity count (GET /cognee/health)',
  examples: ['/svp cognee health'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await services.svp.call('cogneeHealth');
    return cogneeHealthMessage(data, { endpoint: 'cogneeHealth', latencyMs, target: services.svp.target });
  },
});
