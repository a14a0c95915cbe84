import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { runStep } from '../src/core/ops.js';
import { stepMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee reset',
  usage: 'cognee reset',
  summary: 'Reset Cognee: delete all Cognee data, for duplicate entities or a corrupt graph (POST /cognee/reset)',
  examples: ['/svp cognee reset'],
  args: noArgs,
  effect: 'destructive',
  danger: (_args, { services }) => ({
    title: 'Delete ALL Cognee data?',
    text: `POST /cognee/reset on ${services.svp.target} deletes all Cognee data: every entity and relationship of the knowledge graph. AI answers lose graph context until products and actions are re-ingested.`,
  }),
  visibility: 'channel',
  async run({ services }) {
    const { data, latencyMs } = await runStep(services.svp, 'cogneeReset');
    // Cognee Errors (Issue 2), step 3: re-ingest from scratch.
    return stepMessage('Cognee data deleted', data, { endpoint: 'cogneeReset', latencyMs, target: services.svp.target }, 'Next: `/svp cognee ingest products`, then `/svp cognee ingest actions`.');
  },
});
