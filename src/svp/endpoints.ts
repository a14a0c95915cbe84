/**
 * Every endpoint of the target service (SPEC.md "Target service"), by name. Runbooks and
 * commands name endpoints, never raw URLs, so user text can't choose the host or path.
 */
import type { z } from 'zod';
import * as S from './schemas.js';

export interface Endpoint {
  method: 'GET' | 'POST';
  /** `:name` segments are filled from validated parameters. */
  path: string;
  /** 'frontend' targets SVP_FRONTEND_URL; the rest SVP_API_URL. */
  base?: 'api' | 'frontend';
  /** 'json' (default), 'text' (Prometheus) or 'html' (only the status matters). */
  body?: 'json' | 'text' | 'html';
  schema: z.ZodType;
  effect: 'read' | 'mutate' | 'destructive';
}

const get = <S extends z.ZodType>(path: string, schema: S, extra: Partial<Pick<Endpoint, 'base' | 'body'>> = {}) => ({ method: 'GET' as const, path, schema, effect: 'read' as const, ...extra });
const post = <S extends z.ZodType>(path: string, schema: S, effect: Endpoint['effect'] = 'read') => ({ method: 'POST' as const, path, schema, effect });

export const endpoints = {
  health: get('/health', S.ServiceHealth),
  dbHealth: get('/api/health/db', S.DbHealth),
  cogneeHealth: get('/cognee/health', S.CogneeHealth),
  frontend: get('/', S.Anything, { base: 'frontend', body: 'html' }),
  aiQuery: post('/ai/query', S.AiAnswer),
  metrics: get('/metrics', S.Anything, { body: 'text' }),
  version: get('/version', S.Version),
  cacheStats: get('/cognee/cache/stats', S.CacheStats),
  warmUp: post('/cognee/warm-up', S.Success, 'mutate'),
  ingestProducts: post('/cognee/ingest/products', S.JobStarted, 'mutate'),
  ingestActions: post('/cognee/ingest/actions', S.JobStarted, 'mutate'),
  ingestStatus: get('/cognee/ingest/status/:jobId', S.JobStatus),
  cogneeReset: post('/cognee/reset', S.Success, 'destructive'),
  diagnostics: get('/cognee/diagnostics', S.Diagnostics),
  entities: post('/cognee/entities', S.Entities),
  /** The same list without filters (SPEC: GET|POST /cognee/entities). */
  entitiesAll: get('/cognee/entities', S.Entities),
  cogneeQuery: post('/cognee/query', S.CogneeQuery),
  syncWebhook: post('/api/sync/webhook', S.Success, 'mutate'),
  syncIngest: post('/api/sync/ingest', S.JobStarted, 'destructive'),
  debugIntent: post('/debug/intent', S.Intent),
  debugRag: post('/debug/rag', S.Rag),
  debugCognee: post('/debug/cognee', S.CogneeDebug),
  debugConfidence: post('/debug/confidence', S.Confidence),
  debugProfile: post('/debug/profile', S.Profile),
  cacheClear: post('/cache/clear', S.Success, 'destructive'),
  cacheClearExpired: post('/cache/clear-expired', S.Success, 'mutate'),
} satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
export type EndpointData<N extends EndpointName> = z.output<(typeof endpoints)[N]['schema']>;

export const isEndpointName = (name: string): name is EndpointName => Object.hasOwn(endpoints, name);

/** What people read: `GET /api/health/db`. */
export const describeEndpoint = (name: EndpointName) => `${endpoints[name].method} ${endpoints[name].path}`;
