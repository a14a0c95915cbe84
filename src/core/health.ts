/**
 * The Quick Health Check of RUNBOOK.md: five probes in parallel, each judged against the
 * runbook's "Expected" answer, and an overall verdict.
 */
import type { SvpClient } from '../svp/client.js';
import type { Store } from '../store/store.js';
import { SvpError } from '../svp/client.js';
import type { Status } from './message.js';
import { untrusted } from './message.js';
import type { EndpointName } from '../svp/endpoints.js';

export type ProbeId = 'service' | 'database' | 'cognee' | 'frontend' | 'ai_query';

export interface ProbeResult {
  id: ProbeId;
  label: string;
  endpoint: EndpointName;
  status: Status;
  latencyMs: number;
  /** Why it is not ok, or the figures that show it is. */
  detail: string;
}

export type Verdict = 'healthy' | 'degraded' | 'down';

export interface HealthReport {
  verdict: Verdict;
  probes: ProbeResult[];
  target: string;
  checkedAt: Date;
  durationMs: number;
}

/** Slower than this and a probe that answered correctly is still a warning. */
const SLOW_PROBE_MS = 3000;

interface ProbeSpec {
  id: ProbeId;
  label: string;
  endpoint: EndpointName;
  body?: unknown;
  judge: (data: any) => { status: Status; detail: string };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

const probes: ProbeSpec[] = [
  {
    id: 'service',
    label: 'AI service',
    endpoint: 'health',
    judge: (d) =>
      d.status === undefined
        ? { status: 'warn', detail: 'answered, but without a `status` field' }
        : d.status === 'healthy'
          ? { status: 'ok', detail: 'healthy' }
          : { status: 'fail', detail: `status is "${untrusted(String(d.status))}", expected "healthy"` },
  },
  {
    id: 'database',
    label: 'Database',
    endpoint: 'dbHealth',
    judge: (d) => {
      if (d.database !== 'connected') return { status: 'fail', detail: d.database === undefined ? 'no `database` field in the answer' : `database is "${untrusted(String(d.database))}", expected "connected"` };
      const latency = d.latency_ms !== undefined ? `query latency ${d.latency_ms} ms` : 'latency not reported';
      if (d.connection_pool_usage !== undefined && d.connection_pool_usage > 0.9) {
        return { status: 'warn', detail: `connected, but the connection pool is at ${pct(d.connection_pool_usage)} (runbook: above 90%, restart the Go backend)` };
      }
      const pool = d.connection_pool_usage !== undefined ? `, pool ${pct(d.connection_pool_usage)}` : '';
      return { status: 'ok', detail: `connected, ${latency}${pool}` };
    },
  },
  {
    id: 'cognee',
    label: 'Cognee',
    endpoint: 'cogneeHealth',
    judge: (d) => {
      if (d.cognee !== 'ready') return { status: 'fail', detail: d.cognee === undefined ? 'no `cognee` field in the answer' : `cognee is "${untrusted(String(d.cognee))}", expected "ready"` };
      if (d.graph_db !== undefined && d.graph_db !== 'connected') return { status: 'fail', detail: `graph_db is "${untrusted(String(d.graph_db))}", expected "connected"` };
      if (d.entities === 0) return { status: 'warn', detail: 'ready, but the graph holds 0 entities (re-ingest products?)' };
      return { status: 'ok', detail: `ready, ${d.entities ?? 'unknown number of'} entities` };
    },
  },
  {
    id: 'frontend',
    label: 'Frontend',
    endpoint: 'frontend',
    judge: (body: string) =>
      /<html|<!doctype/i.test(body) ? { status: 'ok', detail: 'HTTP 200, HTML' } : { status: 'warn', detail: 'HTTP 200, but the page is not HTML' },
  },
  {
    id: 'ai_query',
    label: 'AI query',
    endpoint: 'aiQuery',
    body: { query: 'health check test' },
    judge: (d) => {
      if (d.success !== true) return { status: 'fail', detail: `success is ${d.success === undefined ? 'missing' : String(d.success)}${d.error ? `: ${untrusted(d.error)}` : ''}` };
      if (d.confidence === undefined) return { status: 'warn', detail: 'answered, confidence not reported' };
      if (d.confidence < 0.5) return { status: 'warn', detail: `answered with low confidence ${d.confidence.toFixed(2)} (runbook: stale data, re-ingest products)` };
      return { status: 'ok', detail: `answered, confidence ${d.confidence.toFixed(2)}` };
    },
  },
];

async function runProbe(svp: SvpClient, spec: ProbeSpec): Promise<ProbeResult> {
  const started = performance.now();
  const base = { id: spec.id, label: spec.label, endpoint: spec.endpoint };
  try {
    const result = await svp.call(spec.endpoint, { body: spec.body });
    const judged = spec.judge(result.data);
    const latencyMs = result.latencyMs;
    if (judged.status === 'ok' && latencyMs > SLOW_PROBE_MS) {
      return { ...base, latencyMs, status: 'warn', detail: `${judged.detail}, but slow (${latencyMs} ms)` };
    }
    return { ...base, latencyMs, ...judged };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const detail = err instanceof SvpError ? err.userMessage : `failed: ${(err as Error).message}`;
    return { ...base, latencyMs, status: 'fail', detail };
  }
}

export async function checkHealth(svp: SvpClient, now: () => Date = () => new Date()): Promise<HealthReport> {
  const started = performance.now();
  const results = await Promise.all(probes.map((spec) => runProbe(svp, spec)));
  return {
    verdict: verdictOf(results),
    probes: results,
    target: svp.target,
    checkedAt: now(),
    durationMs: Math.round(performance.now() - started),
  };
}

function verdictOf(results: ProbeResult[]): Verdict {
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length === results.length || results.find((r) => r.id === 'service')?.status === 'fail') return 'down';
  return failed.length > 0 || results.some((r) => r.status === 'warn') ? 'degraded' : 'healthy';
}

/** Runs the check and keeps it as the last known health, which the App Home shows. */
export async function checkAndRememberHealth(svp: SvpClient, store: Store, now: () => Date): Promise<HealthReport> {
  const report = await checkHealth(svp, now);
  await store.put('snapshot', 'last-health', report, { active: false });
  return report;
}
