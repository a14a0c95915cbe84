/**
 * Service-level routes: health, database, frontend, metrics, version and the query cache.
 */
import { HttpError, json, ok, text } from './http.js';
import type { Route } from './routes.js';
import { MB_PER_CACHE_ENTRY, type Metrics, type SimState } from './state.js';

const FRONTEND_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Studio Pilot Vision</title></head>
<body><div id="root"></div><script type="module" src="/assets/index.js"></script></body></html>`;

/** Prometheus name (as the runbook's baselines and alert rules name it) → state field and help text. */
const GAUGES: { name: string; field: keyof Metrics; help: string }[] = [
  { name: 'error_rate', field: 'error_rate', help: 'Fraction of requests that failed (0.05 is 5%)' },
  { name: 'cache_hit_rate', field: 'cache_hit_rate', help: 'Fraction of queries answered from cache' },
  { name: 'response_time_p50_ms', field: 'response_time_p50_ms', help: 'Median response time in milliseconds' },
  { name: 'response_time_p95_ms', field: 'response_time_p95_ms', help: '95th percentile response time in milliseconds' },
  { name: 'response_time_p99_ms', field: 'response_time_p99_ms', help: '99th percentile response time in milliseconds' },
  { name: 'memory_usage_mb', field: 'memory_usage_mb', help: 'Resident memory of the AI service in megabytes' },
  { name: 'cpu_usage_percent', field: 'cpu_usage_percent', help: 'CPU usage in percent' },
  { name: 'active_requests', field: 'active_requests', help: 'Requests being served right now' },
  { name: 'request_rate', field: 'request_rate', help: 'Requests per second' },
  { name: 'db_connection_pool_usage', field: 'db_pool_usage', help: 'Fraction of the database connection pool in use' },
];

function metricsReply(state: SimState, accept: string) {
  // JSON only for a client that asks for it first; Prometheus scrapers send text/plain or */*.
  if (accept.trim().startsWith('application/json')) {
    return ok(Object.fromEntries(GAUGES.map((g) => [g.name, state.metrics[g.field]])));
  }
  const lines = GAUGES.flatMap((g) => [`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${state.metrics[g.field]}`]);
  return text(200, `${lines.join('\n')}\n`, 'text/plain; version=0.0.4; charset=utf-8');
}

function clearCache(state: SimState, entries: number): number {
  const cleared = Math.min(entries, state.cache.size);
  state.cache.size -= cleared;
  state.metrics.memory_usage_mb = Math.max(0, Math.round(state.metrics.memory_usage_mb - cleared * MB_PER_CACHE_ENTRY));
  return cleared;
}

export const serviceRoutes: Route[] = [
  {
    method: 'GET',
    key: '/health',
    handle: ({ state }) =>
      json(state.healthy ? 200 : 503, { status: state.healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), version: state.version.current }),
  },
  {
    method: 'GET',
    key: '/api/health/db',
    handle: ({ state: { db } }) => {
      if (!db.connected) throw new HttpError(503, 'ConnectionError: could not connect to the database');
      return ok({ database: 'connected', latency_ms: db.latencyMs, connection_pool_usage: db.poolUsage });
    },
  },
  { method: 'GET', key: '/frontend', handle: () => text(200, FRONTEND_PAGE, 'text/html; charset=utf-8') },
  { method: 'GET', key: '/metrics', handle: ({ state, accept }) => metricsReply(state, accept) },
  {
    method: 'GET',
    key: '/version',
    handle: ({ state: { version } }) => ok({ version: version.current, commit: version.commit, deployed_at: version.deployedAt, previous: version.previous }),
  },
  {
    method: 'POST',
    key: '/cache/clear',
    handle: ({ state }) => {
      const cleared = clearCache(state, state.cache.size);
      // An empty cache misses everything until it fills again.
      Object.assign(state.cache, { hitRate: 0, expired: 0 });
      return ok({ success: true, cleared, message: `Cleared ${cleared} cache entries` });
    },
  },
  {
    method: 'POST',
    key: '/cache/clear-expired',
    handle: ({ state }) => {
      const cleared = clearCache(state, state.cache.expired);
      state.cache.expired = 0;
      return ok({ success: true, cleared, message: `Cleared ${cleared} expired cache entries` });
    },
  },
];
