/**
 * Cognee (the knowledge graph) and sync routes: health, cache, ingestion jobs, reset,
 * diagnostics, entities, and the Supabase webhook that feeds new products in.
 */
import { HttpError, invalidField, json, ok, optionalBoolean, optionalString, requiredString } from './http.js';
import { jobView, pollJob, startJob } from './jobs.js';
import type { RequestContext, Route } from './routes.js';
import { knownProducts, type JobKind, type SimState } from './state.js';

/** What warming the cache loads: the hottest queries of the graph. */
const WARM_UP_ENTRIES = 250;
const WARM_HIT_RATE = 0.8;

export function requireCognee(state: SimState): void {
  if (!state.cognee.ready) throw new HttpError(503, 'CogneeError: graph database unavailable');
}

function startIngestion(kind: JobKind) {
  return ({ state, body }: RequestContext) => {
    requireCognee(state);
    const label = optionalString(body, 'time_window_label') ?? null;
    const id = startJob(state, kind, label, optionalBoolean(body, 'force_update') ?? false);
    return ok({ job_id: id, status: 'started', kind, time_window_label: label });
  };
}

/** `limit` from a JSON body (number) or a query string (text). */
function entityLimit(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidField('int_type', 'limit', 'Input should be an integer from 1 to 1000', raw);
  return limit;
}

function listEntities({ state, body, query }: RequestContext) {
  requireCognee(state);
  const type = optionalString(body, 'entity_type') ?? query.get('entity_type') ?? undefined;
  const limit = entityLimit(body.limit ?? query.get('limit') ?? undefined);
  // Products are the only entities the simulator names one by one.
  const matching = knownProducts(state)
    .map((p) => ({ id: p.id, type: 'Product', name: p.name, lifecycle_stage: p.lifecycle_stage }))
    .filter((e) => !type || e.type.toLowerCase() === type.toLowerCase());
  return ok({ entities: matching.slice(0, limit), total: matching.length });
}

type RecordFields = { id: string; name?: string; lifecycle_stage?: string };

/** The `record` of a Supabase webhook payload; INSERT and UPDATE need its name. */
function webhookRecord(body: Record<string, unknown>, needsName: boolean): RecordFields {
  const record = body.record;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw invalidField('dict_type', 'record', 'Input should be a valid dictionary', record);
  const fields = record as Record<string, unknown>;
  if (typeof fields.id !== 'string' && typeof fields.id !== 'number') throw invalidField('missing', 'record.id', 'Field required', record);
  const name = needsName ? requiredString(fields, 'name') : optionalString(fields, 'name');
  return { id: String(fields.id), name, lifecycle_stage: optionalString(fields, 'lifecycle_stage') };
}

function syncWebhook({ state, body }: RequestContext) {
  const type = requiredString(body, 'type').toUpperCase();
  if (!['INSERT', 'UPDATE', 'DELETE'].includes(type)) throw invalidField('enum', 'type', "Input should be 'INSERT', 'UPDATE' or 'DELETE'", body.type);
  const table = requiredString(body, 'table');
  const record = webhookRecord(body, type !== 'DELETE');
  if (table !== 'products') return ok({ success: true, message: `Ignored: table "${table}" is not synced` });

  const existing = state.catalog.find((p) => p.id === record.id);
  state.products = state.products.filter((name) => name !== existing?.name);
  state.catalog = state.catalog.filter((p) => p !== existing);
  if (type === 'DELETE') {
    if (existing) state.cognee.entities = Math.max(0, state.cognee.entities - 1);
  } else {
    // The real service syncs in the background; here it is done before the answer.
    const name = record.name!;
    state.catalog.push({ id: record.id, name, lifecycle_stage: record.lifecycle_stage ?? existing?.lifecycle_stage ?? 'unknown' });
    if (!state.products.includes(name)) state.products.push(name);
    if (!existing) state.cognee.entities += 1;
  }
  return ok({ success: true, message: 'Sync initiated', record_id: record.id });
}

function diagnostics({ state }: RequestContext) {
  requireCognee(state);
  const { cognee } = state;
  const issues: string[] = [];
  if (cognee.entities === 0) issues.push('Graph is empty: run ingestion');
  if (cognee.duplicates > 0) issues.push(`${cognee.duplicates} duplicate entities (Entity already exists)`);
  if (cognee.orphans > 0) issues.push(`${cognee.orphans} orphan entities without relationships`);
  return ok({
    status: issues.length ? 'issues_found' : 'ok',
    entities: cognee.entities,
    relationships: cognee.relationships,
    orphans: cognee.orphans,
    duplicates: cognee.duplicates,
    issues,
  });
}

export const cogneeRoutes: Route[] = [
  {
    method: 'GET',
    key: '/cognee/health',
    handle: ({ state: { cognee } }) =>
      cognee.ready
        ? ok({ cognee: 'ready', graph_db: 'connected', entities: cognee.entities, relationships: cognee.relationships })
        : json(503, { cognee: 'unavailable', graph_db: 'disconnected', detail: 'CogneeError: graph database unavailable' }),
  },
  {
    method: 'GET',
    key: '/cognee/cache/stats',
    handle: ({ state: { cache } }) =>
      ok({ cache_hit_rate: cache.hitRate, cache_size: cache.size, avg_hit_latency_ms: 2, avg_miss_latency_ms: 200, expired_entries: cache.expired }),
  },
  {
    method: 'POST',
    key: '/cognee/warm-up',
    handle: ({ state }) => {
      requireCognee(state);
      state.cache.size += WARM_UP_ENTRIES;
      state.cache.hitRate = Math.max(state.cache.hitRate, WARM_HIT_RATE);
      return ok({ success: true, warmed: WARM_UP_ENTRIES, cache_hit_rate: state.cache.hitRate, message: `Warmed ${WARM_UP_ENTRIES} queries` });
    },
  },
  { method: 'POST', key: '/cognee/ingest/products', handle: startIngestion('products') },
  { method: 'POST', key: '/cognee/ingest/actions', handle: startIngestion('actions') },
  {
    method: 'GET',
    key: '/cognee/ingest/status/:jobId',
    handle: ({ state, params, jobPollsToFinish }) => {
      const id = params.jobId!;
      const job = Object.hasOwn(state.jobs, id) ? state.jobs[id] : undefined;
      if (!job) throw new HttpError(404, 'job not found');
      pollJob(state, job, jobPollsToFinish);
      return ok(jobView(id, job));
    },
  },
  {
    method: 'POST',
    key: '/cognee/reset',
    handle: ({ state }) => {
      requireCognee(state);
      const deleted = state.cognee.entities;
      Object.assign(state.cognee, { entities: 0, relationships: 0, orphans: 0, duplicates: 0 });
      // The graph is gone: no product is known to the AI until it is ingested again.
      state.products = [];
      return ok({ success: true, deleted_entities: deleted, message: 'All Cognee data deleted' });
    },
  },
  { method: 'GET', key: '/cognee/diagnostics', handle: diagnostics },
  { method: 'GET', key: '/cognee/entities', handle: listEntities },
  { method: 'POST', key: '/cognee/entities', handle: listEntities },
  { method: 'POST', key: '/api/sync/webhook', handle: syncWebhook },
  {
    method: 'POST',
    key: '/api/sync/ingest',
    handle: ({ state }) => {
      const id = startJob(state, 'sync', null, true);
      return ok({ success: true, job_id: id, status: 'started', message: 'Full sync started' });
    },
  },
];
