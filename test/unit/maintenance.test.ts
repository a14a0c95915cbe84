import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig, ConfigError } from '../../src/config.js';
import { timeWindowLabel, isMonthlyRun, nextRunWithin, newRun, runWeeklyMaintenance, tickChecklist, openRun } from '../../src/core/maintenance.js';
import { JobFollower } from '../../src/core/jobs.js';
import { jobMessage } from '../../src/views/ops.js';
import { maintenanceMessage, parseChecklistId } from '../../src/views/maintenance.js';
import type { Message } from '../../src/core/message.js';
import type { MessageRef, Poster } from '../../src/app/command.js';
import { useCoreRig } from '../harness/core-rig.js';

const at = (iso: string) => Date.parse(iso);

describe('time-window label', () => {
  it.each([
    ['the runbook example: Sunday of ISO week 5', '2025-02-02T02:00:00Z', 'UTC', 'Q1 2025 Week 5'],
    ['a Monday starts the next week', '2025-02-03T02:00:00Z', 'UTC', 'Q1 2025 Week 6'],
    ['last days of December in week 1 of the next year', '2024-12-30T02:00:00Z', 'UTC', 'Q1 2025 Week 1'],
    ['New Year in week 1', '2026-01-01T00:00:00Z', 'UTC', 'Q1 2026 Week 1'],
    ['first days of January in week 53 of the year before', '2021-01-03T02:00:00Z', 'UTC', 'Q4 2020 Week 53'],
    ['week 53 in December', '2020-12-31T12:00:00Z', 'UTC', 'Q4 2020 Week 53'],
    ['week 53 of 2026 (a year starting on Thursday)', '2027-01-03T02:00:00Z', 'UTC', 'Q4 2026 Week 53'],
    ['the last week of 52', '2025-12-28T02:00:00Z', 'UTC', 'Q4 2025 Week 52'],
    ['the last week of a quarter', '2025-03-30T02:00:00Z', 'UTC', 'Q1 2025 Week 13'],
    ['a week straddling quarters takes its Thursday quarter', '2025-03-31T02:00:00Z', 'UTC', 'Q2 2025 Week 14'],
    ['the date in the schedule time zone: Sunday evening in Los Angeles', '2025-02-03T02:00:00Z', 'America/Los_Angeles', 'Q1 2025 Week 5'],
    ['the date in the schedule time zone: Monday morning in Tokyo', '2025-02-02T20:00:00Z', 'Asia/Tokyo', 'Q1 2025 Week 6'],
  ])('%s', (_what, iso, tz, label) => {
    expect(timeWindowLabel(at(iso), tz)).toBe(label);
  });

  it('gives every day of one ISO week the same label, across the year boundary', () => {
    const monday = at('2024-12-30T12:00:00Z');
    const labels = new Set(Array.from({ length: 7 }, (_, i) => timeWindowLabel(monday + i * 86_400_000)));
    expect([...labels]).toEqual(['Q1 2025 Week 1']);
    expect(timeWindowLabel(monday - 86_400_000)).toBe('Q4 2024 Week 52');
  });
});

describe('schedules', () => {
  it('the monthly checklist comes with the first weekly run of a month', () => {
    expect(isMonthlyRun(at('2026-11-01T02:00:00Z'), 'UTC')).toBe(true);
    expect(isMonthlyRun(at('2026-11-08T02:00:00Z'), 'UTC')).toBe(false);
    expect(isMonthlyRun(at('2026-11-01T02:00:00Z'), 'America/New_York')).toBe(false); // still 31 October there
  });

  it('finds the next maintenance run before the next digest', () => {
    expect(nextRunWithin('0 2 * * 0', 'UTC', at('2026-11-28T09:00:00Z'), 86_400_000)).toBe(at('2026-11-29T02:00:00Z'));
    expect(nextRunWithin('0 2 * * 0', 'Europe/Paris', at('2026-11-28T09:00:00Z'), 86_400_000)).toBe(at('2026-11-29T01:00:00Z'));
    expect(nextRunWithin('0 2 * * 0', 'UTC', at('2026-11-27T09:00:00Z'), 86_400_000)).toBeUndefined();
    expect(nextRunWithin('30 0 2 * * 0', 'UTC', at('2026-11-28T09:00:00Z'), 86_400_000)).toBe(at('2026-11-29T02:00:30Z'));
  });

  it.each([
    ['SVP_MAINTENANCE_CRON', '0 2 * *'],
    ['SVP_MAINTENANCE_CRON', '61 2 * * 0'],
    ['SVP_MAINTENANCE_CRON', '0 2 * * 8'],
    ['SVP_MAINTENANCE_CRON', 'every sunday'],
    ['SVP_DIGEST_CRON', '0 25 * * *'],
    ['SVP_DIGEST_CRON', '* * * * * * *'],
  ])('config refuses %s=%j, naming the variable', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain('expected a cron expression');
  });

  it('config takes five or six fields', () => {
    expect(loadConfig({ SVP_MAINTENANCE_CRON: '0 0 2 * * 0', SVP_DIGEST_CRON: '0 9 * * 1-5' })).toMatchObject({ SVP_MAINTENANCE_CRON: '0 0 2 * * 0', SVP_DIGEST_CRON: '0 9 * * 1-5' });
    expect(loadConfig({})).toMatchObject({ SVP_MAINTENANCE_CRON: '0 2 * * 0', SVP_DIGEST_CRON: '0 9 * * *', SVP_TZ: 'UTC' });
  });
});

/** A poster that records what it posts, as the channel would show it. */
class RecordingPoster implements Poster {
  readonly posts: Array<{ message: Message; opts?: { channelId?: string; threadTs?: string }; ref: MessageRef }> = [];
  async post(message: Message, opts?: { channelId?: string; threadTs?: string }): Promise<MessageRef> {
    const ref = { channelId: opts?.channelId ?? 'CMAINT01', ts: `${this.posts.length + 1}.000` };
    this.posts.push({ message, opts, ref });
    return ref;
  }
  async update(): Promise<void> {}
}

describe('weekly maintenance against the simulator', () => {
  const rig = useCoreRig();
  let poster: RecordingPoster;
  let jobs: JobFollower;
  const sunday = at('2026-11-01T02:00:00Z'); // the first Sunday of November

  beforeEach(() => {
    poster = new RecordingPoster();
    jobs = new JobFollower({ store: rig.store, svp: rig.svp, poster, log: pino({ level: 'silent' }), render: jobMessage, now: Date.now });
  });

  const runAt = (when: number) => {
    const run = { ...newRun(when, 'UTC'), message: { channelId: 'CMAINT01', ts: '0.001' } };
    return runWeeklyMaintenance({ svp: rig.svp, store: rig.store, jobs }, run, () => when + 1000);
  };

  it('ingests products under the week label, clears expired cache, follows the job in the thread', async () => {
    const run = await runAt(sunday);
    const ingest = rig.sim.calls.find((c) => c.route === '/cognee/ingest/products');
    expect(ingest?.body).toEqual({ time_window_label: 'Q4 2026 Week 44' });
    expect(rig.sim.calls.some((c) => c.route === '/cache/clear-expired' && c.method === 'POST')).toBe(true);
    expect(run.ingest.status).toBe('ok');
    expect(run.cache.status).toBe('ok');
    // The job follower posted the job message in the run's thread and follows it from the store.
    expect(poster.posts.map((p) => p.opts?.threadTs)).toEqual(['0.001']);
    const followed = await jobs.get(run.ingest.jobId!);
    expect(followed).toMatchObject({ state: 'running', label: 'Q4 2026 Week 44', type: 'products' });
  });

  it('records the run with its weekly and, on the first Sunday, monthly checklists', async () => {
    const run = await runAt(sunday);
    expect(run.items.filter((i) => i.group === 'weekly').map((i) => i.id)).toEqual(['vacuum', 'logs', 'review']);
    expect(run.items.filter((i) => i.group === 'monthly')).toHaveLength(5);
    const later = await runAt(at('2026-11-08T02:00:00Z'));
    expect(later.items.every((i) => i.group === 'weekly')).toBe(true);

    const message = maintenanceMessage(run);
    const lists = message.parts.filter((p) => p.type === 'checklist');
    expect(lists.map((p) => p.type === 'checklist' && parseChecklistId(p.id))).toEqual([
      { group: 'weekly', runId: '2026-11-01' },
      { group: 'monthly', runId: '2026-11-01' },
    ]);
    for (const item of run.items) expect(item.label.length).toBeLessThanOrEqual(75);
  });

  it('reports a failed step and still runs the other one', async () => {
    rig.sim.setFault('/cognee/ingest/products', { kind: 'error', status: 500, body: JSON.stringify({ detail: 'graph database unavailable' }) });
    const run = await runAt(sunday);
    expect(run.ingest).toMatchObject({ status: 'fail' });
    expect(run.ingest.detail).toContain('graph database unavailable');
    expect(run.cache.status).toBe('ok');
    expect(maintenanceMessage(run).text).toMatch(/a step failed/);
  });

  it('ticks record who and when, unticks forget it, and the run closes when all are done', async () => {
    await runAt(at('2026-11-08T02:00:00Z'));
    const id = '2026-11-08';
    let run = await tickChecklist(rig.store, id, 'weekly', ['vacuum'], 'UOPER001', sunday + 7 * 86_400_000 + 3_600_000);
    expect(run!.items.find((i) => i.id === 'vacuum')).toMatchObject({ done: true, by: 'UOPER001' });
    run = await tickChecklist(rig.store, id, 'weekly', ['logs'], 'UREAD001', sunday + 7 * 86_400_000 + 7_200_000);
    expect(run!.items.find((i) => i.id === 'vacuum')).toEqual({ id: 'vacuum', group: 'weekly', label: expect.any(String), done: false });
    expect((await openRun(rig.store))?.id).toBe(id);
    run = await tickChecklist(rig.store, id, 'weekly', ['vacuum', 'logs', 'review'], 'UREAD001', sunday + 8 * 86_400_000);
    expect(run!.items.every((i) => i.done)).toBe(true);
    expect(await openRun(rig.store)).toBeUndefined();
    expect(await tickChecklist(rig.store, '1999-01-01', 'weekly', [], 'UREAD001', 0)).toBeUndefined();
  });
});
