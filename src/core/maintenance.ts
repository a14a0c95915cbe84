/**
 * The runbook's Maintenance Procedures. Weekly (SVP_MAINTENANCE_CRON, Sunday 02:00 UTC by
 * default): ingest the product snapshot under the week's time-window label, clear expired
 * cache entries, then the manual items as a checklist. The first weekly run of a month
 * adds the monthly checklist. A run is the record ('maintenance', <local date>), active
 * while manual items are open.
 */
import cron from 'node-cron';
import { isOpsError } from '../errors.js';
import { updateRecord, type Store } from '../store/store.js';
import type { SvpClient } from '../svp/client.js';
import type { MessageRef } from '../app/command.js';
import type { JobFollower } from './jobs.js';
import { runStep } from './ops.js';

export const MAINTENANCE_KIND = 'maintenance';
const DAY_MS = 86_400_000;

export type ChecklistGroup = 'weekly' | 'monthly';

export interface ChecklistEntry {
  id: string;
  group: ChecklistGroup;
  label: string;
  done: boolean;
  by?: string;
  at?: number;
}

export interface StepOutcome {
  status: 'ok' | 'fail' | 'pending';
  detail: string;
}

export interface MaintenanceRun {
  /** The local date of the run, yyyy-mm-dd. */
  id: string;
  /** The time-window label of the ingestion, e.g. "Q1 2025 Week 5". */
  label: string;
  startedAt: number;
  finishedAt?: number;
  ingest: StepOutcome & { jobId?: string };
  cache: StepOutcome;
  items: ChecklistEntry[];
  message?: MessageRef;
}

/** Steps 3–5 of the weekly tasks: done by a person elsewhere, ticked here. */
const WEEKLY_ITEMS: Array<[string, string]> = [
  ['vacuum', 'Vacuum the database: `VACUUM ANALYZE;` (Supabase → SQL Editor)'],
  ['logs', 'Check logs; rotate them if over 1 GB (Render → Logs)'],
  ['review', "Review the past week's metrics and alerts for anomalies"],
];

const MONTHLY_ITEMS: Array<[string, string]> = [
  ['dependencies', 'Update dependencies: npm audit, pip-audit, minor versions, test, deploy'],
  ['database', 'Database: analyze slow queries, add indexes, archive data over 1 year'],
  ['capacity', 'Capacity: average CPU/memory, scale Render instances, cache sizes'],
  ['security', 'Security audit: access logs, suspicious activity, rotate API keys'],
  ['cost', 'Cost: Groq API usage, Render compute hours, Supabase storage'],
];

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date at `at` in the time zone. */
export function localDate(at: number, timeZone: string): LocalDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * The runbook's time-window label, "Q1 2025 Week 5": the ISO week, with the quarter and
 * year of its Thursday (the day ISO 8601 assigns a week by), so the days of one week
 * always share one label, across a year boundary too.
 */
export function timeWindowLabel(at: number, timeZone = 'UTC'): string {
  const { year, month, day } = localDate(at, timeZone);
  const date = Date.UTC(year, month - 1, day);
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - mondayBased) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS / 7);
  const quarter = Math.floor(thursday.getUTCMonth() / 3) + 1;
  return `Q${quarter} ${weekYear} Week ${week}`;
}

/** The first weekly run of a month falls on its first seven days: with the default schedule, the first Sunday. */
export const isMonthlyRun = (at: number, timeZone: string) => localDate(at, timeZone).day <= 7;

/**
 * When a cron expression next fires within `withinMs` of `from`, if it does. Stepping
 * minute by minute keeps node-cron's own matching (time zones, DST) the only judge.
 */
export function nextRunWithin(expression: string, timeZone: string, from: number, withinMs: number): number | undefined {
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  try {
    const second = cron.parse(expression).second[0] ?? 0;
    const start = Math.ceil(from / 60_000) * 60_000 + second * 1000;
    for (let t = start; t <= from + withinMs; t += 60_000) if (task.match(new Date(t))) return t;
    return undefined;
  } finally {
    void task.destroy();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A new weekly run at `at`, its steps not started yet. */
export function newRun(at: number, timeZone: string): MaintenanceRun {
  const { year, month, day } = localDate(at, timeZone);
  const entries = (group: ChecklistGroup, items: Array<[string, string]>) => items.map(([id, label]) => ({ id, group, label, done: false }));
  return {
    id: `${year}-${pad(month)}-${pad(day)}`,
    label: timeWindowLabel(at, timeZone),
    startedAt: at,
    ingest: { status: 'pending', detail: 'starting the product snapshot ingestion' },
    cache: { status: 'pending', detail: 'clearing expired cache entries' },
    items: [...entries('weekly', WEEKLY_ITEMS), ...(isMonthlyRun(at, timeZone) ? entries('monthly', MONTHLY_ITEMS) : [])],
  };
}

export interface MaintenanceDeps {
  svp: SvpClient;
  store: Store;
  /** Posts the ingestion job's message and updates it until the job ends. */
  jobs: Pick<JobFollower, 'start'>;
}

const failure = (err: unknown) => (isOpsError(err) ? err.userMessage : `failed: ${(err as Error).message}`);

/**
 * Runs the automated steps (1 and 2) of a run and records it. The ingestion job is
 * followed in its own message, in the thread of the run's message.
 */
export async function runWeeklyMaintenance(deps: MaintenanceDeps, run: MaintenanceRun & { message: MessageRef }, now: () => number): Promise<MaintenanceRun> {
  // Recorded first, so its checklist can be ticked while the steps run.
  await saveRun(deps.store, run);
  const [ingest, cache] = await Promise.all([
    deps.jobs
      .start('ingestProducts', { time_window_label: run.label }, { type: 'products', label: run.label, startedBy: 'weekly maintenance', channelId: run.message.channelId, threadTs: run.message.ts, startedAt: run.startedAt })
      .then(
        (job): MaintenanceRun['ingest'] => ({ status: 'ok', jobId: job.jobId, detail: `job \`${job.jobId}\` started for "${run.label}", followed in the thread` }),
        (err): MaintenanceRun['ingest'] => ({ status: 'fail', detail: failure(err) }),
      ),
    runStep(deps.svp, 'cacheClearExpired').then(
      ({ data }): StepOutcome => ({ status: 'ok', detail: data.message ?? 'expired entries cleared' }),
      (err): StepOutcome => ({ status: 'fail', detail: failure(err) }),
    ),
  ]);
  const finished: MaintenanceRun = { ...run, ingest, cache, finishedAt: now() };
  await saveRun(deps.store, finished);
  return finished;
}

export async function saveRun(store: Store, run: MaintenanceRun): Promise<void> {
  await updateRecord<MaintenanceRun>(store, MAINTENANCE_KIND, run.id, () => ({ data: run, active: run.items.some((i) => !i.done) }));
}

/**
 * Applies a tick of one checklist group: `selected` is every item of the group ticked now.
 * Newly ticked items record who and when; unticked ones forget it.
 */
export async function tickChecklist(store: Store, runId: string, group: ChecklistGroup, selected: readonly string[], by: string, at: number): Promise<MaintenanceRun | undefined> {
  if (!(await store.get(MAINTENANCE_KIND, runId))) return undefined;
  const record = await updateRecord<MaintenanceRun>(store, MAINTENANCE_KIND, runId, (run) => {
    const items = run!.items.map((item) => {
      if (item.group !== group) return item;
      const done = selected.includes(item.id);
      if (done === item.done) return item;
      return done ? { ...item, done, by, at } : { id: item.id, group: item.group, label: item.label, done };
    });
    return { data: { ...run!, items }, active: items.some((i) => !i.done) };
  });
  return record.data;
}

/** The latest run that still has manual items open, if any. */
export async function openRun(store: Store): Promise<MaintenanceRun | undefined> {
  return (await store.list<MaintenanceRun>(MAINTENANCE_KIND, { activeOnly: true, limit: 1 }))[0]?.data;
}
