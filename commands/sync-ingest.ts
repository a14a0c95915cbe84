import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { note } from '../src/core/message.js';

export default defineCommand({
  name: 'sync ingest',
  usage: 'sync ingest',
  summary: 'Full re-sync: all products, 5–10 minutes, followed until done (POST /api/sync/ingest)',
  examples: ['/svp sync ingest'],
  args: noArgs,
  effect: 'destructive',
  danger: (_args, { services }) => ({
    title: 'Re-sync ALL products (5–10 minutes)?',
    text: `POST /api/sync/ingest on ${services.svp.target} re-syncs every product from the database into ChromaDB and Cognee, replacing what they hold. It takes 5–10 minutes; AI answers may be incomplete meanwhile.`,
  }),
  async run({ services, actor }) {
    const job = await services.jobs.start('syncIngest', {}, { type: 'sync', startedBy: actor.userId, channelId: actor.channelId, startedAt: services.clock.now() });
    return note(`Full sync started: job \`${job.jobId}\`, followed in its own message until it ends.`);
  },
});
