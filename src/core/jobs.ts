/**
 * Long SVP jobs (Cognee ingestion, the full sync) followed to the end. A followed job is
 * a 'job' record in the store holding the one message that shows it; a sweep every 5 s
 * polls `GET /cognee/ingest/status/{job_id}` and updates that message until the job
 * completes, fails or times out (30 min). Because the records live in the store,
 * following resumes after a restart; each poll is claimed per job and tick, so two
 * replicas never poll or post twice.
 */
import { ConflictError, updateRecord, type Store } from '../store/store.js';
import { SvpError, type SvpClient } from '../svp/client.js';
import type { MessageRef, Poster } from '../app/command.js';
import type { Logger } from '../log.js';
import type { Message } from './message.js';
import { OpsError } from '../errors.js';
import { ID } from '../app/args.js';
import { describeEndpoint } from '../svp/endpoints.js';

export const JOB_KIND = 'job';
export const SWEEP_MS = 5_000;
export const JOB_TIMEOUT_MS = 30 * 60_000;
/** Longer than any post of a job's first message takes: past it, a job without one lost it. */
const ORPHAN_MS = 60_000;

export type JobType = 'products' | 'actions' | 'sync' | 'unknown';

/** What a job ingests, from the `kind` SVP may report with its status. */
export const jobTypeOf = (kind: unknown): JobType => (kind === 'products' || kind === 'actions' || kind === 'sync' ? kind : 'unknown');
export type JobState = 'running' | 'completed' | 'failed' | 'timed_out';

export interface FollowedJob {
  jobId: string;
  type: JobType;
  /** The time-window label it was started with. */
  label?: string;
  /** Who started it, or asked the bot to follow it. */
  startedBy: string;
  /** Where its message is posted: a channel, and a thread in it if given. */
  channelId: string;
  threadTs?: string;
  /** When following began; the 30-minute timeout counts from here. */
  startedAt: number;
  state: JobState;
  /** 0..1 as SVP reports it. */
  progress?: number;
  /** SVP's own message or error. */
  detail?: string;
  /** Why the last poll failed; following goes on until the timeout. */
  pollError?: string;
  lastPolledAt?: number;
  finishedAt?: number;
  /** Set once the message is posted; a job still without one a minute on is posted by the sweep. */
  message?: MessageRef;
  /** When the record was written, just before its message is posted. */
  recordedAt?: number;
}

/** The common errors of the runbook's "Debugging Cognee Ingestion", with their fixes. */
const INGESTION_ERRORS: Array<{ error: string; pattern: RegExp; fix: string }> = [
  { error: 'Entity already exists', pattern: /already exists/i, fix: 'Run with force_update=true' },
  { error: 'Connection timeout', pattern: /time(d)? ?out/i, fix: 'Increase job timeout' },
  { error: 'Validation error', pattern: /validation/i, fix: 'Check product data format' },
];

/** The runbook's fix for a failed job's error, quoted as "error → fix". */
export function ingestionFix(detail: string | undefined): string | undefined {
  const known = detail ? INGESTION_ERRORS.find((e) => e.pattern.test(detail)) : undefined;
  return known && `"${known.error}" → ${known.fix}`;
}

/** SVP's free-form status words, as the three states the follower knows. */
export function jobStateOf(status: string | undefined): JobState {
  const s = (status ?? '').toLowerCase();
  if (['completed', 'complete', 'done', 'success', 'succeeded', 'finished'].includes(s)) return 'completed';
  if (['failed', 'failure', 'error', 'errored', 'cancelled', 'canceled'].includes(s)) return 'failed';
  return 'running';
}

export interface JobFollowerDeps {
  store: Store;
  svp: SvpClient;
  poster: Poster;
  log: Logger;
  render: (job: FollowedJob) => Message;
  now: () => number;
}

export class JobFollower {
  constructor(private readonly deps: JobFollowerDeps) {}

  async get(jobId: string): Promise<FollowedJob | undefined> {
    return (await this.deps.store.get<FollowedJob>(JOB_KIND, jobId))?.data;
  }

  /**
   * Starts following a job: records it, posts its message in its channel, remembers the
   * message. A job someone already follows is returned as is, with nothing posted.
   */
  async follow(job: Omit<FollowedJob, 'state' | 'message'>): Promise<{ job: FollowedJob; already: boolean }> {
    const started: FollowedJob = { ...job, state: 'running', recordedAt: this.deps.now() };
    try {
      // Claims the job first, so two people following it at once post one message.
      await this.deps.store.put(JOB_KIND, job.jobId, started, { expectedVersion: 0 });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return { job: (await this.get(job.jobId)) ?? started, already: true };
    }
    let message: MessageRef;
    try {
      message = await this.deps.poster.post(this.deps.render(started), { channelId: job.channelId, threadTs: job.threadTs });
    } catch (err) {
      // Without its message the job cannot be shown; stop following rather than poll unseen.
      await this.save({ ...started, state: 'failed', detail: 'not followed: its message could not be posted' });
      throw err;
    }
    return { job: await this.save({ ...started, message }), already: false };
  }

  /** Starts a job on SVP and follows it; fails when SVP's answer has no id that can be followed. */
  async start(
    endpoint: 'ingestProducts' | 'ingestActions' | 'syncIngest',
    body: Record<string, unknown>,
    job: Omit<FollowedJob, 'jobId' | 'state' | 'message'>,
  ): Promise<FollowedJob> {
    const { data } = await this.deps.svp.call(endpoint, { body });
    // The id goes into a URL path on every poll: only a safe one is followed.
    if (!data.job_id || !ID.test(data.job_id)) {
      const what = data.job_id ? 'an unusable job_id' : 'without a job_id';
      throw new OpsError('upstream', `\`${describeEndpoint(endpoint)}\` answered ${what}: the job may have started, but it cannot be followed.`);
    }
    return (await this.follow({ ...job, jobId: data.job_id })).job;
  }

  /** One tick of the sweep: polls every running job once. */
  async sweep(at: number): Promise<void> {
    const running = await this.deps.store.list<FollowedJob>(JOB_KIND, { activeOnly: true, limit: 200 });
    const tick = Math.floor(at / SWEEP_MS);
    await Promise.all(
      running.map(async ({ data: job }) => {
        if (!job.message) return this.adoptIfOrphaned(job, at);
        if (!(await this.deps.store.claim('job-poll', `${job.jobId}:${tick}`))) return;
        try {
          const next = await this.poll(job, at);
          if (changed(job, next)) {
            // Shown before recorded: a crash or failed update in between is redone by the next
            // poll, where the other order would leave a finished job's message behind for good.
            await this.deps.poster.update(job.message, this.deps.render(next));
            await this.save(next);
          }
        } catch (err) {
          this.deps.log.warn({ jobId: job.jobId, err: (err as Error).message }, 'could not update a followed job');
        }
      }),
    );
  }

  /**
   * A job recorded but never given its message (the bot died between posting it and saving
   * its reference, or before posting) is posted now, once across replicas, and followed
   * from here. At worst the channel sees its message twice; never a job followed unseen.
   */
  private async adoptIfOrphaned(job: FollowedJob, at: number): Promise<void> {
    if (job.state !== 'running' || at - (job.recordedAt ?? job.startedAt) < ORPHAN_MS) return;
    if (at - job.startedAt > JOB_TIMEOUT_MS) {
      // Whoever claimed it died before posting: nothing to show, so it stops quietly.
      await this.save({ ...job, state: 'timed_out', finishedAt: at, detail: 'never shown: its message was not posted' });
      return;
    }
    if (!(await this.deps.store.claim('job-message', job.jobId))) return;
    if ((await this.get(job.jobId))?.message) return; // its first post was only slow
    try {
      const message = await this.deps.poster.post(this.deps.render(job), { channelId: job.channelId, threadTs: job.threadTs });
      await this.save({ ...job, message });
      this.deps.log.warn({ jobId: job.jobId }, 'a followed job had no message (a crash?); posted it now');
    } catch (err) {
      await this.save({ ...job, state: 'failed', detail: 'not followed: its message could not be posted' });
      this.deps.log.warn({ jobId: job.jobId, err: (err as Error).message }, 'could not post the message of an orphaned job');
    }
  }

  /** The job after one status poll at `at`. */
  private async poll(job: FollowedJob, at: number): Promise<FollowedJob> {
    if (at - job.startedAt > JOB_TIMEOUT_MS) {
      return { ...job, state: 'timed_out', finishedAt: at, detail: `no final status after ${JOB_TIMEOUT_MS / 60_000} minutes; check SVP's logs for job_id ${job.jobId}` };
    }
    try {
      const { data } = await this.deps.svp.call('ingestStatus', { params: { jobId: job.jobId } });
      const state = jobStateOf(data.status);
      return {
        ...job,
        state,
        progress: state === 'completed' ? 1 : (fraction(data.progress) ?? job.progress),
        detail: data.error ?? data.message ?? job.detail,
        pollError: undefined,
        lastPolledAt: at,
        ...(state === 'running' ? {} : { finishedAt: at }),
      };
    } catch (err) {
      if (!(err instanceof SvpError)) throw err;
      // SVP forgot the job (e.g. it restarted): waiting longer will not bring it back.
      if (err.status === 404) return { ...job, state: 'failed', finishedAt: at, detail: 'SVP no longer knows this job (404)', pollError: undefined, lastPolledAt: at };
      return { ...job, pollError: err.userMessage, lastPolledAt: at };
    }
  }

  /** Keeps the message already recorded, should two have been posted: the first one is followed. */
  private async save(job: FollowedJob): Promise<FollowedJob> {
    const saved = await updateRecord<FollowedJob>(this.deps.store, JOB_KIND, job.jobId, (current) => ({ data: { ...job, message: current?.message ?? job.message }, active: job.state === 'running' }));
    return saved.data;
  }
}

/** Progress as a fraction, whether SVP reports 0.45 or 45 (%). */
export const fraction = (p: number | undefined) => (p === undefined ? undefined : Math.min(1, Math.max(0, p > 1 ? p / 100 : p)));

/** Only a visible change is worth a record write and a chat.update. */
const changed = (a: FollowedJob, b: FollowedJob) => a.state !== b.state || a.progress !== b.progress || a.detail !== b.detail || a.pollError !== b.pollError;
