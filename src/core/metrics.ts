/**
 * Key Metrics against the Healthy Baselines of RUNBOOK.md. /metrics is read as Prometheus
 * text exposition (or a JSON object with the same keys). A missing gauge is unknown,
 * never healthy.
 */
import type { SvpClient } from '../svp/client.js';
import { OpsError } from '../errors.js';

export type Gauges = Record<string, number>;

/** Parses Prometheus text exposition or JSON into gauge name → value (unlabelled or first sample). */
export function parseMetrics(body: string): Gauges {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new OpsError('upstream', '`GET /metrics` answered with a body that is neither Prometheus text nor JSON');
    }
    const gauges: Gauges = {};
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (Number.isFinite(n)) gauges[key] = n;
    }
    return gauges;
  }
  const gauges: Gauges = {};
  for (const line of trimmed.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line.trim());
    if (!m) continue;
    const value = Number(m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : m[3]);
    if (!Number.isNaN(value) && !(m[1]! in gauges)) gauges[m[1]!] = value;
  }
  return gauges;
}

export type Level = 'ok' | 'warn' | 'breach' | 'unknown';

export interface Baseline {
  key: string;
  label: string;
  direction: 'below' | 'above';
  /** The Healthy Baseline: inside it is ok. */
  healthy: number;
  /** The runbook's alert or incident threshold: past it is a breach; between the two, warn. */
  breach: number;
  format: (v: number) => string;
}

const percent = (v: number) => `${+(v * 100).toFixed(2)}%`;
const ms = (v: number) => `${Math.round(v)} ms`;
const mb = (v: number) => `${Math.round(v)} MB`;

export const BASELINES: Baseline[] = [
  { key: 'error_rate', label: 'Error rate', direction: 'below', healthy: 0.01, breach: 0.05, format: percent },
  { key: 'response_time_p95_ms', label: 'Response time (p95)', direction: 'below', healthy: 500, breach: 2000, format: ms },
  { key: 'cache_hit_rate', label: 'Cache hit rate', direction: 'above', healthy: 0.6, breach: 0.3, format: percent },
  { key: 'memory_usage_mb', label: 'Memory usage', direction: 'below', healthy: 1536, breach: 1800, format: mb },
  { key: 'cpu_usage_percent', label: 'CPU usage', direction: 'below', healthy: 70, breach: 90, format: (v) => `${+v.toFixed(1)}%` },
];

export interface MetricReading {
  key: string;
  label: string;
  value: number | undefined;
  level: Level;
  shown: string;
  baseline: string;
}

export interface MetricsReport {
  readings: MetricReading[];
  /** Worst level over the key metrics. */
  worst: Level;
  /** The other gauges the runbook mentions, when present. */
  extra: { activeRequests?: number; requestRate?: number };
  gauges: Gauges;
  target: string;
  readAt: Date;
}

export function classify(b: Baseline, value: number | undefined): Level {
  if (value === undefined || !Number.isFinite(value)) return 'unknown';
  if (b.direction === 'below') return value < b.healthy ? 'ok' : value > b.breach ? 'breach' : 'warn';
  return value > b.healthy ? 'ok' : value < b.breach ? 'breach' : 'warn';
}

const rank: Record<Level, number> = { ok: 0, unknown: 1, warn: 2, breach: 3 };

export function readBaselines(gauges: Gauges): { readings: MetricReading[]; worst: Level } {
  const readings = BASELINES.map((b) => {
    const value = gauges[b.key];
    const level = classify(b, value);
    return {
      key: b.key,
      label: b.label,
      value,
      level,
      shown: value === undefined ? 'not reported' : b.format(value),
      baseline: `${b.direction === 'below' ? '<' : '>'} ${b.format(b.healthy)}`,
    };
  });
  const worst = readings.reduce<Level>((w, r) => (rank[r.level] > rank[w] ? r.level : w), 'ok');
  return { readings, worst };
}

export async function readMetrics(svp: SvpClient, now: () => Date = () => new Date()): Promise<MetricsReport> {
  const { data } = await svp.call('metrics');
  const gauges = parseMetrics(String(data));
  return {
    ...readBaselines(gauges),
    extra: { activeRequests: gauges.active_requests, requestRate: gauges.request_rate },
    gauges,
    target: svp.target,
    readAt: now(),
  };
}
