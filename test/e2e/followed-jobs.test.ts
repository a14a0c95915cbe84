/**
 * Followed ingestion jobs end to end: one message per job, updated by the job sweep until
 * the job ends, with the runbook's fix on failure, across a restart and up to the timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, OPERATOR, type TestBot, botPool } from '../harness/bot-fixture.js';
import type { FakeMessage } from '../harness/fake-slack.js';
import { callsTo } from '../harness/runbook-driver.js';
import { eventually, visibleText } from '../harness/support.js';
import { JOB_KIND, type FollowedJob } from '../../src/core/jobs.js';

const { bot, restart, stopAll } = botPool();
afterEach(stopAll);

describe('followed ingestion jobs', () => {
  /** Runs the job sweep at successive 5-second ticks. */
  async function sweep(t: TestBot, clock: FakeClock, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      clock.advance(5_000);
      await t.bot.services.scheduler.runTick('jobs', clock.now());
    }
  }

  async function startIngestion(t: TestBot): Promise<FakeMessage> {
    await t.driver.command('cognee ingest products Q1 2025 Week 1', { userId: OPERATOR });
    const message = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('Cognee ingestion: products')));
    await untilFollowed(t);
    return message;
  }

  /** The job's message is posted before its reference is saved; the sweep polls only jobs that have one. */
  async function untilFollowed(t: TestBot): Promise<void> {
    await eventually(async () => {
      const jobs = await t.bot.services.store.list<FollowedJob>(JOB_KIND, { activeOnly: true, limit: 200 });
      return jobs.length > 0 && jobs.every(({ data }) => data.message);
    }, 'the job was never followed with its message');
  }


  it('updates one message until the job completes', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const message = await startIngestion(t);
    expect(message.text).toMatch(/: running$/);
    expect(t.sim.calls.find((c) => c.route === '/cognee/ingest/products')?.body).toEqual({ time_window_label: 'Q1 2025 Week 1' });
    await sweep(t, clock, 5);
    expect(message.text).toMatch(/: completed$/);
    expect(visibleText(message)).toContain('cognee ingest actions');
    expect(message.history.map((v) => v.text)).toHaveLength(3); // 33%, 67%, then completed
    expect(callsTo(t, '/cognee/ingest/status/:jobId')).toBe(3);
    expect(t.slack.messages.filter((m) => m.text.startsWith('Cognee ingestion'))).toHaveLength(1);
  });

  it('ends on failure with the runbook fix for the error', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.state.jobOutcome = 'failed';
    const message = await startIngestion(t);
    await sweep(t, clock, 4);
    expect(message.text).toMatch(/: failed$/);
    expect(visibleText(message)).toContain('Entity already exists');
    expect(visibleText(message)).toContain('force_update=true');
  });

  it('resumes following after a restart, and gives up after 30 minutes', async () => {
    const clock = new FakeClock();
    let t = await bot({ clock });
    const message = await startIngestion(t);
    await sweep(t, clock, 1);
    t = await restart(t);
    await sweep(t, clock, 2);
    expect(message.text).toMatch(/: completed$/);

    const stuck = await t.driver.command('cognee ingest actions', { userId: OPERATOR }).then(() =>
      t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('Cognee ingestion: actions'))),
    );
    await untilFollowed(t);
    t.sim.setFault('/cognee/ingest/status/:jobId', { kind: 'unavailable' });
    await sweep(t, clock, 1);
    expect(visibleText(stuck)).toContain('Last status check failed');
    clock.advance(30 * 60_000);
    await sweep(t, clock, 1);
    expect(stuck.text).toMatch(/: timed out$/);
  });

  it('a job recorded by a bot that died before its message was saved is posted a minute on, once, and followed', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const started = await fetch(`${t.sim.url}/cognee/ingest/products`, { method: 'POST', body: '{"time_window_label":"Q1 2025 Week 2"}' }).then((r) => r.json() as Promise<{ job_id: string }>);
    // What follow() records before it posts; the crash came before the message was saved.
    const orphan: FollowedJob = { jobId: started.job_id, type: 'products', label: 'Q1 2025 Week 2', startedBy: OPERATOR, channelId: 'COPS0001', startedAt: clock.now(), state: 'running' };
    await t.bot.services.store.put(JOB_KIND, orphan.jobId, orphan);
    const posted = () => t.slack.messages.filter((m) => m.text.startsWith('Cognee ingestion: products'));

    await sweep(t, clock, 11); // 55 s: the first post may still be on its way
    expect(posted()).toHaveLength(0);
    const b = await bot({ clock, databaseUrl: t.databaseUrl, sim: t.sim, slack: t.slack });
    clock.advance(5_000);
    await Promise.all([t, b].map((replica) => replica.bot.services.scheduler.runTick('jobs', clock.now())));
    expect(posted()).toHaveLength(1);
    expect(posted()[0]!.channel).toBe('COPS0001');
    await sweep(t, clock, 3);
    expect(posted()).toHaveLength(1);
    expect(posted()[0]!.text).toMatch(/: completed$/);
  });

  it('a job whose message nobody could post stops quietly at the timeout instead of staying active', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const orphan: FollowedJob = { jobId: 'job0dead0001', type: 'actions', startedBy: OPERATOR, channelId: 'COPS0001', startedAt: clock.now(), recordedAt: clock.now(), state: 'running' };
    await t.bot.services.store.put(JOB_KIND, orphan.jobId, orphan);
    await t.bot.services.store.claim('job-message', orphan.jobId); // the replica that took it on died
    await sweep(t, clock, 13);
    expect((await t.bot.services.store.get(JOB_KIND, orphan.jobId))?.active).toBe(true);
    clock.advance(30 * 60_000);
    await sweep(t, clock, 1);
    expect(await t.bot.services.store.get(JOB_KIND, orphan.jobId)).toMatchObject({ active: false, data: { state: 'timed_out' } });
    expect(t.slack.messages).toHaveLength(0);
  });
});
