/**
 * The simulated world of SVP. Every number an endpoint reports is read from here, so a
 * preset or a test that changes a field changes what every endpoint says about it.
 */

export type JobKind = 'products' | 'actions' | 'sync';
export type JobOutcome = 'completed' | 'failed';

export interface Job {
  kind: JobKind;
  status: 'running' | JobOutcome;
  /** 0..1, advanced by each status poll. */
  progress: number;
  /** The time_window_label the job was started with, if any. */
  label: string | null;
  error?: string;
  /** What a completed job added to the graph. */
  created?: { entities: number; relationships: number };
  /** Status polls answered so far: the job finishes after `jobPollsToFinish` of them. */
  polls: number;
  /** How this job will end: `jobOutcome` at the time it started. */
  endsAs: JobOutcome;
  forceUpdate: boolean;
  startedAt: string;
  finishedAt?: string;
}

/** A row of the products table in the database: what a re-ingest or a full sync brings back. */
export interface CatalogProduct {
  id: string;
  name: string;
  lifecycle_stage: string;
}

/** The gauges of GET /metrics, named as the service names them. */
export interface Metrics {
  error_rate: number;
  /** The same value as `cache.hitRate`: reading or writing either changes both. */
  cache_hit_rate: number;
  response_time_p50_ms: number;
  response_time_p95_ms: number;
  response_time_p99_ms: number;
  memory_usage_mb: number;
  cpu_usage_percent: number;
  active_requests: number;
  request_rate: number;
  /** The same value as `db.poolUsage`: reading or writing either changes both. */
  db_pool_usage: number;
}

/** The runbook's /debug/profile breakdown, in ms; the total is their sum. */
export interface ProfileBreakdown {
  intent_classification: number;
  rag_retrieval: number;
  cognee_query: number;
  llm_generation: number;
  confidence_scoring: number;
  response_assembly: number;
}

export interface ConfidenceScores {
  freshness: number;
  reliability: number;
  grounding: number;
  coherence: number;
  overall: number;
}

export interface SimState {
  /** What GET /health reports (200 "healthy" or 503 "unhealthy"). */
  healthy: boolean;
  db: { connected: boolean; latencyMs: number; poolUsage: number };
  cognee: { ready: boolean; entities: number; relationships: number; orphans: number; duplicates: number };
  metrics: Metrics;
  /** `expired` entries are what /cache/clear-expired removes. */
  cache: { hitRate: number; size: number; expired: number };
  version: { current: string; previous: string; commit: string; deployedAt: string };
  jobs: Record<string, Job>;
  jobOutcome: JobOutcome;
  /** The products table of the database. */
  catalog: CatalogProduct[];
  /** Names of the products the AI knows (in its graph and vector store). */
  products: string[];
  profile: ProfileBreakdown;
  confidence: ConfidenceScores;
  /** Whether the Groq LLM answers; without it /ai/query falls back to RAG only. */
  groqUp: boolean;
}

const HEALTHY_HIT_RATE = 0.75;
const HEALTHY_POOL_USAGE = 0.35;

const SEED_CATALOG: CatalogProduct[] = [
  { id: '550e8400', name: 'Product X', lifecycle_stage: 'Develop' },
  { id: '6ba7b810', name: 'Pilot Dashboard', lifecycle_stage: 'Launch' },
  { id: '7c9e6679', name: 'Vision Insights', lifecycle_stage: 'Scale' },
  { id: '9b2f4c11', name: 'Studio Assistant', lifecycle_stage: 'Discover' },
];

/** The healthy world, with the runbook's example numbers where it gives them. */
export function createHealthyState(): SimState {
  const state: SimState = {
    healthy: true,
    db: { connected: true, latencyMs: 15, poolUsage: HEALTHY_POOL_USAGE },
    cognee: { ready: true, entities: 1234, relationships: 3456, orphans: 0, duplicates: 0 },
    metrics: {
      error_rate: 0.004,
      cache_hit_rate: HEALTHY_HIT_RATE,
      response_time_p50_ms: 120,
      response_time_p95_ms: 320,
      response_time_p99_ms: 650,
      memory_usage_mb: 850,
      cpu_usage_percent: 35,
      active_requests: 4,
      request_rate: 12.5,
      db_pool_usage: HEALTHY_POOL_USAGE,
    },
    cache: { hitRate: HEALTHY_HIT_RATE, size: 500, expired: 40 },
    version: { current: 'v1.4.2', previous: 'v1.4.1', commit: '3f9c2ab', deployedAt: '2026-01-03T14:20:00Z' },
    jobs: {},
    jobOutcome: 'completed',
    catalog: SEED_CATALOG.map((p) => ({ ...p })),
    products: SEED_CATALOG.map((p) => p.name),
    profile: { intent_classification: 5, rag_retrieval: 120, cognee_query: 500, llm_generation: 200, confidence_scoring: 10, response_assembly: 15 },
    confidence: { freshness: 0.9, reliability: 0.85, grounding: 0.95, coherence: 0.75, overall: 0.85 },
    groqUp: true,
  };
  linkSharedGauges(state);
  return state;
}

/**
 * /metrics and the per-component endpoints must never disagree, so the two gauges that
 * have a home elsewhere read and write through to it (via the root, so replacing
 * `state.cache` or `state.db` wholesale keeps the link).
 */
export function linkSharedGauges(state: SimState): void {
  Object.defineProperties(state.metrics, {
    cache_hit_rate: {
      enumerable: true,
      configurable: true,
      get: () => state.cache.hitRate,
      set: (value: number) => (state.cache.hitRate = value),
    },
    db_pool_usage: {
      enumerable: true,
      configurable: true,
      get: () => state.db.poolUsage,
      set: (value: number) => (state.db.poolUsage = value),
    },
  });
}

/** Replaces every field of the live state in place, so references held by tests stay valid. */
export function replaceState(state: SimState, next: SimState): void {
  Object.assign(state, next);
  linkSharedGauges(state);
}

export const profileTotal = (profile: ProfileBreakdown) => Object.values(profile).reduce((sum, ms) => sum + ms, 0);

/** Memory the query cache holds per entry: what clearing the cache gives back. */
export const MB_PER_CACHE_ENTRY = 0.04;

/** The products the AI knows, with their catalog rows (a name known only to the AI gets a made-up id). */
export function knownProducts(state: SimState): CatalogProduct[] {
  return state.products.map(
    (name) => state.catalog.find((p) => p.name === name) ?? { id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), name, lifecycle_stage: 'unknown' },
  );
}
