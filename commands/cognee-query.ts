import { defineCommand } from '../src/app/command.js';
import { text } from '../src/app/args.js';
import { cogneeQueryMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee query',
  usage: 'cognee query <text>',
  summary: 'Query the knowledge graph directly (POST /cognee/query)',
  examples: ['/svp cognee query Show me all products in Q1 2025 Week 1'],
  args: text('a question after `cognee query`'),
  effect: 'read',
  visibility: 'channel',
  async run({ services }, question) {
    const { data, latencyMs } = await services.svp.call('cogneeQuery', { body: { query: question } });
    return cogneeQueryMessage(question, data, { endpoint: 'cogneeQuery', latencyMs, target: services.svp.target });
  },
});
