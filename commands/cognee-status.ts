import { defineCommand } from '../src/app/command.js';
import { id } from '../src/app/args.js';
import { fraction, jobStateOf, jobTypeOf, type FollowedJob } from '../src/core/jobs.js';
import { jobMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'cognee status',
  usage: 'cognee status <job-id>',
  summary: 'Status of an ingestion job (GET /cognee/ingest/status/{job_id}); a running job is followed until it ends',
  examples: ['/svp cognee status abc123'],
  args: id('a job id'),
  effect: 'read',
  visibility: 'channel',
  async run({ services, actor }, jobId) {
    const known = await services.jobs.get(jobId);
    if (known) return { ...jobMessage(known), visibility: 'ephemeral' as const };
    const { data } = await services.svp.call('ingestStatus', { params: { jobId } });
    const now = services.clock.now();
    const job: Omit<FollowedJob, 'state' | 'message'> = {
      jobId,
      type: jobTypeOf(data.kind),
      label: typeof data.time_window_label === 'string' ? data.time_window_label : undefined,
      startedBy: actor.userId,
      channelId: actor.channelId,
      startedAt: now,
      progress: fraction(data.progress),
      detail: data.error ?? data.message,
    };
    const state = jobStateOf(data.status);
    if (state !== 'running') return jobMessage({ ...job, state });
    const followed = await services.jobs.follow(job);
    // Someone started following it a moment ago: their message is the one updated.
    if (followed.already) return { ...jobMessage(followed.job), visibility: 'ephemeral' as const };
  },
});
