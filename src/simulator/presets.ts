/**
 * Named worlds, each the situation of a runbook section, with coherent numbers: a preset
 * starts from the healthy world and changes what that situation changes.
 */
import type { Fault, RouteKey } from './faults.js';
import { createHealthyState, type SimState } from './state.js';

export type PresetName = 'healthy' | 'degraded' | 'cold-cache' | 'overloaded' | 'down' | 'high-memory' | 'slow-ai';

interface Preset {
  /** One line for the console. */
  about: string;
  apply(state: SimState): void;
  faults?: Record<RouteKey, Fault>;
}

export const PRESETS: Record<PresetName, Preset> = {
  healthy: {
    about: 'every check within its Healthy Baseline',
    apply: () => {},
  },
  degraded: {
    about: 'high error rate (7%) and p95 900 ms, with the database pool nearly exhausted (93%)',
    apply: (s) => {
      Object.assign(s.metrics, { error_rate: 0.07, response_time_p50_ms: 280, response_time_p95_ms: 900, response_time_p99_ms: 1900 });
      Object.assign(s.db, { latencyMs: 140, poolUsage: 0.93 });
    },
  },
  'cold-cache': {
    about: 'cold start: cache hit rate 20%, so queries miss and p95 rises to 700 ms',
    apply: (s) => {
      Object.assign(s.cache, { hitRate: 0.2, size: 40, expired: 0 });
      Object.assign(s.metrics, { response_time_p50_ms: 260, response_time_p95_ms: 700, response_time_p99_ms: 1400 });
    },
  },
  overloaded: {
    about: '35 active requests and CPU at 95%: requests queue up and slow down',
    apply: (s) => {
      Object.assign(s.metrics, {
        active_requests: 35,
        cpu_usage_percent: 95,
        request_rate: 85,
        error_rate: 0.03,
        response_time_p50_ms: 450,
        response_time_p95_ms: 1600,
        response_time_p99_ms: 3200,
      });
    },
  },
  down: {
    about: 'service down: every route answers 503 from Render and /health is unhealthy',
    apply: (s) => {
      s.healthy = false;
    },
    faults: { '*': { kind: 'unavailable' } },
  },
  'high-memory': {
    about: 'memory at 2100 MB (past the 1800 MB alert) with a bloated query cache',
    apply: (s) => {
      s.metrics.memory_usage_mb = 2100;
      Object.assign(s.cache, { size: 5000, expired: 1200 });
    },
  },
  'slow-ai': {
    about: 'slow AI queries: Cognee graph traversal takes 2600 ms, p95 2400 ms',
    apply: (s) => {
      s.profile.cognee_query = 2600;
      Object.assign(s.metrics, { response_time_p50_ms: 1100, response_time_p95_ms: 2400, response_time_p99_ms: 4800, cpu_usage_percent: 78 });
    },
  },
};

export const isPresetName = (name: unknown): name is PresetName => typeof name === 'string' && Object.hasOwn(PRESETS, name);

/** A fresh world in the given preset. */
export function presetState(name: PresetName): SimState {
  const state = createHealthyState();
  PRESETS[name].apply(state);
  return state;
}
