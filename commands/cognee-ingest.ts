import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { oneOf } from '../src/app/args.js';
import { note } from '../src/core/message.js';

/** `products|actions [time-window label]`, e.g. `products Q1 2025 Week 1`. */
const args = z
  .string()
  .transform((s) => {
    const [what = '', ...label] = s.trim().split(/\s+/);
    return { what: what.toLowerCase(), label: label.join(' ') };
  })
  .pipe(
    z.object({
      what: oneOf(['products', 'actions'] as const, 'what to ingest'),
      label: z.string().max(100, 'expected a time-window label of at most 100 characters'),
    }),
  );

export default defineCommand({
  name: 'cognee ingest',
  usage: 'cognee ingest products|actions [time-window label]',
  summary: 'Start a Cognee ingestion job and follow it in one message until it completes or fails',
  examples: ['/svp cognee ingest products Q1 2025 Week 1', '/svp cognee ingest actions'],
  args,
  effect: 'mutate',
  async run({ services, actor }, { what, label }) {
    const job = await services.jobs.start(
      what === 'products' ? 'ingestProducts' : 'ingestActions',
      label ? { time_window_label: label } : {},
      { type: what, label: label || undefined, startedBy: actor.userId, channelId: actor.channelId, startedAt: services.clock.now() },
    );
    return note(`Started ingestion job \`${job.jobId}\` (${what}); its message in the channel is updated until it ends.`);
  },
});
