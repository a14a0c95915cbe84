import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { diagnosticsMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee diagnostics',
  usage: 'cognee diagnostics',
  summary: 'Verify Cognee data integrity: entities, relationships, orphans, duplicates (GET /cognee/diagnostics)',
  examples: ['/svp cognee diagnostics'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await services.svp.call('diagnostics');
    return diagnosticsMessage(data, { endpoint: 'diagnostics', latencyMs, target: services.svp.target });
  },
});
