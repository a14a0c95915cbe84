/**
 * The daily health digest as plain data: the Quick Health Check, the key metrics against
 * the Healthy Baselines with their change since the previous digest (the record
 * ('snapshot', 'last-digest')), open incidents, alerts firing or fired and resolved in
 * the last 24 h, and maintenance due. Every source is read in parallel, so assembling it
 * takes about as long as the slowest health probe.
 */
import { isOpen } from './incidents/fold.js';
import type { IncidentState } from './incidents/model.js';
import type { Store } from '../store/store.js';
import type { SvpClient } from '../svp/client.js';
import { isOpsError } from '../errors.js';
import { checkHealth, type HealthReport } from './health.js';
import { readMetrics, type Level, type MetricReading } from './metrics.js';
import type { AlertEvent, AlertMonitor } from './alerts/monitor.js';
import type { AlertState } from './alerts/state.js';
import { nextRunWithin, openRun, timeWindowLabel, isMonthlyRun, type MaintenanceRun } from './maintenance.js';

const DAY_MS = 86_400_000;
/** A change smaller than this share of the previous value reads as unchanged. */
const NOTABLE_CHANGE = 0.1;

export interface MetricChange extends MetricReading {
  previous?: number;
  /** True when the value moved notably since the previous digest. */
  changed: boolean;
}

export interface OpenIncident {
  id: string;
  title: string;
  severity: string;
}

export interface Digest {
  at: number;
  health: HealthReport;
  metrics: { readings: MetricChange[]; worst: Level; previousAt?: number } | { error: string };
  incidents: OpenIncident[];
  alerts: {
    firing: Array<{ state: AlertState; runbook: string }>;
    silenced: AlertState[];
    /** Fired and resolved in the last 24 h, newest first. */
    events: AlertEvent[];
  };
  maintenance: {
    /** The next weekly run, when it falls before the next daily digest. */
    next?: { at: number; label: string; monthly: boolean };
    /** The latest run with manual items still open. */
    open?: MaintenanceRun;
  };
}

interface Snapshot {
  at: number;
  gauges: Record<string, number>;
}

export interface DigestDeps {
  svp: SvpClient;
  store: Store;
  alerts: AlertMonitor;
  /** Open incidents as the incident feature folds them (current severity, not resolved). */
  incidents: { live(): Promise<IncidentState[]> };
  config: { SVP_MAINTENANCE_CRON: string; SVP_TZ: string };
}

/**
 * Assembles the digest at `at`. The scheduled digest keeps its metrics as the baseline
 * for the next one; a digest asked for by hand (`/svp digest`) leaves the baseline alone.
 */
export async function assembleDigest(deps: DigestDeps, at: number, opts: { keepAsBaseline: boolean } = { keepAsBaseline: true }): Promise<Digest> {
  const { svp, store, alerts, config } = deps;
  const reads = Promise.all([
    checkHealth(svp, () => new Date(at)),
    readMetrics(svp, () => new Date(at)).catch((err: unknown) => ({ error: isOpsError(err) ? err.userMessage : (err as Error).message })),
    store.get<Snapshot>('snapshot', 'last-digest'),
    deps.incidents.live(),
    alerts.states(),
    alerts.history(at - DAY_MS),
    openRun(store),
  ]);
  // Computed while the probes are in flight.
  const nextAt = nextRunWithin(config.SVP_MAINTENANCE_CRON, config.SVP_TZ, at, DAY_MS);
  const [health, metrics, previous, incidents, states, events, open] = await reads;

  let metricsPart: Digest['metrics'];
  if ('error' in metrics) metricsPart = { error: metrics.error };
  else {
    const before = previous?.data;
    metricsPart = { readings: metrics.readings.map((r) => withChange(r, before?.gauges[r.key])), worst: metrics.worst, previousAt: before?.at };
    const gauges = Object.fromEntries(metrics.readings.filter((r) => r.value !== undefined).map((r) => [r.key, r.value!]));
    if (opts.keepAsBaseline) await store.put<Snapshot>('snapshot', 'last-digest', { at, gauges }, { active: false });
  }

  const ruleByName = new Map(alerts.rules.map((r) => [r.name, r]));
  const stateList = [...states.values()].filter((s) => ruleByName.has(s.rule));
  return {
    at,
    health,
    metrics: metricsPart,
    incidents: incidents.filter(isOpen).map((s) => ({ id: s.incident.id, title: s.incident.title, severity: s.severity })),
    alerts: {
      firing: stateList.filter((s) => s.phase === 'firing').map((state) => ({ state, runbook: ruleByName.get(state.rule)!.runbook })),
      silenced: stateList.filter((s) => s.silence && s.silence.until > at),
      events,
    },
    maintenance: {
      next: nextAt === undefined ? undefined : { at: nextAt, label: timeWindowLabel(nextAt, config.SVP_TZ), monthly: isMonthlyRun(nextAt, config.SVP_TZ) },
      open,
    },
  };
}

function withChange(reading: MetricReading, previous: number | undefined): MetricChange {
  if (reading.value === undefined || previous === undefined) return { ...reading, previous, changed: false };
  const scale = Math.max(Math.abs(previous), Number.EPSILON);
  return { ...reading, previous, changed: Math.abs(reading.value - previous) / scale >= NOTABLE_CHANGE };
}
