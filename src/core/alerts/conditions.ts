/**
 * Conditions of the runbook's alert-rules.yml: `<subject> <op> <threshold>`, e.g.
 * `error_rate > 5%`, `response_time_p95 > 2s`, `health_check == unhealthy`. Each subject
 * names a /metrics gauge (or the /health verdict) and the unit its threshold is written in.
 */
import type { Gauges } from '../metrics.js';

export type Unit = 'fraction' | 'ms' | 'mb' | 'percent' | 'count' | 'health';
export type HealthWord = 'healthy' | 'unhealthy';
export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface Subject {
  /** The gauge of GET /metrics; absent for the /health verdict. */
  gauge?: string;
  unit: Unit;
  label: string;
  /** The runbook (id in runbooks/) that treats this symptom. */
  runbook: string;
}

const fraction = (gauge: string, label: string, runbook: string): Subject => ({ gauge, unit: 'fraction', label, runbook });
const latency = (gauge: string, label: string): Subject => ({ gauge, unit: 'ms', label, runbook: 'slow-ai-queries' });

/** Every name a rule may test, with the aliases the runbook's own rules use. */
export const SUBJECTS: Record<string, Subject> = {
  health_check: { unit: 'health', label: 'Health check', runbook: 'quick-health-check' },
  error_rate: fraction('error_rate', 'Error rate', 'high-error-rate'),
  cache_hit_rate: fraction('cache_hit_rate', 'Cache hit rate', 'slow-ai-queries'),
  db_pool_usage: fraction('db_pool_usage', 'DB pool usage', 'high-error-rate'),
  response_time_p50: latency('response_time_p50_ms', 'Response time (p50)'),
  response_time_p95: latency('response_time_p95_ms', 'Response time (p95)'),
  response_time_p99: latency('response_time_p99_ms', 'Response time (p99)'),
  memory_usage_mb: { gauge: 'memory_usage_mb', unit: 'mb', label: 'Memory usage', runbook: 'high-memory' },
  cpu_usage_percent: { gauge: 'cpu_usage_percent', unit: 'percent', label: 'CPU usage', runbook: 'high-cpu' },
  active_requests: { gauge: 'active_requests', unit: 'count', label: 'Active requests', runbook: 'high-cpu' },
  request_rate: { gauge: 'request_rate', unit: 'count', label: 'Request rate', runbook: 'high-cpu' },
};
for (const name of ['response_time_p50', 'response_time_p95', 'response_time_p99']) SUBJECTS[`${name}_ms`] = SUBJECTS[name]!;

/** The runbook for a /metrics gauge, e.g. error_rate → high-error-rate. */
export const runbookForGauge = (gauge: string): string | undefined => Object.values(SUBJECTS).find((s) => s.gauge === gauge)?.runbook;

export interface Condition {
  subject: string;
  op: Op;
  threshold: number | HealthWord;
  /** As written in the file, for messages. */
  text: string;
}

/** What one evaluation saw of SVP. `gauges` is absent when /metrics could not be read. */
export interface Reading {
  health: HealthWord;
  gauges?: Gauges;
}

const CONDITION = /^\s*([a-z][a-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$/i;

/** Parses a condition; a string result is the reason it is not one. */
export function parseCondition(text: string): Condition | string {
  const m = CONDITION.exec(text);
  if (!m) return `condition "${text}" is not of the form <metric> <op> <threshold>, e.g. "error_rate > 5%"`;
  const [, name, op, raw] = m as unknown as [string, string, Op, string];
  const subject = SUBJECTS[name.toLowerCase()];
  if (!subject) return `unknown metric "${name}" in the condition; known: ${Object.keys(SUBJECTS).join(', ')}`;
  if (subject.unit === 'health') {
    const word = raw.toLowerCase();
    if (word !== 'healthy' && word !== 'unhealthy') return `health_check compares with healthy or unhealthy, not "${raw}"`;
    if (op !== '==' && op !== '!=') return `health_check takes == or !=, not ${op}`;
    return { subject: name.toLowerCase(), op, threshold: word, text: text.trim() };
  }
  const threshold = parseThreshold(subject.unit, raw);
  if (typeof threshold === 'string') return `${name}: ${threshold}`;
  return { subject: name.toLowerCase(), op, threshold, text: text.trim() };
}

const NUMBER = /^(\d+(?:\.\d+)?)([a-z%]*)$/i;

/** The threshold in the gauge's own unit (fractions, ms, MB, percent). */
function parseThreshold(unit: Exclude<Unit, 'health'>, raw: string): number | string {
  const m = NUMBER.exec(raw);
  if (!m) return `threshold "${raw}" is not a number`;
  const n = Number(m[1]);
  const suffix = m[2]!.toLowerCase();
  switch (unit) {
    case 'fraction':
      if (suffix === '%') return n / 100;
      if (suffix === '' && n <= 1) return n;
      return `threshold "${raw}" must be a percentage such as 5% (or a fraction such as 0.05)`;
    case 'ms':
      if (suffix === 's') return n * 1000;
      if (suffix === 'ms' || suffix === '') return n;
      return `threshold "${raw}" must be a time such as 2s or 500ms`;
    case 'mb':
      if (suffix === 'gb') return n * 1024;
      if (suffix === 'mb' || suffix === '') return n;
      return `threshold "${raw}" must be in MB (1800) or GB (1.5GB)`;
    case 'percent':
      if (suffix === '%' || suffix === '') return n;
      return `threshold "${raw}" must be a percentage such as 90%`;
    case 'count':
      if (suffix === '') return n;
      return `threshold "${raw}" must be a plain number`;
  }
}

export const subjectOf = (condition: Condition): Subject => SUBJECTS[condition.subject]!;

/**
 * The value a condition tests in a reading, or undefined when there is none. While
 * /health says unhealthy, the metric rules see nothing: ServiceDown speaks for the outage
 * instead of a flood of alerts on the numbers of a service that is down.
 */
export function observe(condition: Condition, reading: Reading): number | HealthWord | undefined {
  const subject = subjectOf(condition);
  if (subject.unit === 'health') return reading.health;
  if (reading.health === 'unhealthy') return undefined;
  const value = reading.gauges?.[subject.gauge!];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

export function holds(condition: Condition, value: number | HealthWord): boolean {
  const t = condition.threshold;
  if (condition.op === '==') return value === t;
  if (condition.op === '!=') return value !== t;
  if (typeof value !== 'number' || typeof t !== 'number') return false;
  switch (condition.op) {
    case '>':
      return value > t;
    case '>=':
      return value >= t;
    case '<':
      return value < t;
    case '<=':
      return value <= t;
  }
}

/** A value in the unit people read for this subject: 7%, 2.4 s, 1900 MB. */
export function formatValue(condition: Condition, value: number | HealthWord | undefined): string {
  if (value === undefined) return 'no data';
  if (typeof value === 'string') return value;
  switch (subjectOf(condition).unit) {
    case 'fraction':
      return `${+(value * 100).toFixed(2)}%`;
    case 'ms':
      return value >= 1000 ? `${+(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
    case 'mb':
      return `${Math.round(value)} MB`;
    case 'percent':
      return `${+value.toFixed(1)}%`;
    default:
      return String(+value.toFixed(2));
  }
}
