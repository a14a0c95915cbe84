/**
 * Lenient shapes of what SVP answers, from RUNBOOK.md's examples. The runbook shows
 * examples, not a contract: every field is optional and unknown fields pass through;
 * the core says "not reported" where a field is missing.
 */
import { z } from 'zod';

const num = z.coerce.number().finite().optional().catch(undefined);
const str = z.coerce.string().optional().catch(undefined);
const bool = z.boolean().optional().catch(undefined);
const obj = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const ServiceHealth = obj({ status: str, timestamp: str });
export const DbHealth = obj({ database: str, latency_ms: num, connection_pool_usage: num });
export const CogneeHealth = obj({ cognee: str, graph_db: str, entities: num });
export const Source = z.union([z.string().transform((title) => ({ title })), obj({ title: str, name: str, url: str, score: num })]);
export const AiAnswer = obj({
  success: bool,
  answer: str,
  confidence: num,
  sources: z.array(Source).optional().catch(undefined),
  error: str,
  /** 'rag_fallback' when Cognee or Groq is down and the answer comes from RAG alone. */
  mode: str,
});
export const Version = obj({ version: str, commit: str, deployed_at: str, previous: str });
export const CacheStats = obj({ cache_hit_rate: num, cache_size: num, avg_hit_latency_ms: num, avg_miss_latency_ms: num });
export const Success = obj({ success: bool, message: str, error: str, detail: str });
export const JobStarted = obj({ job_id: str, status: str, message: str });
export const JobStatus = obj({ job_id: str, status: str, progress: num, error: str, message: str });
export const Diagnostics = obj({ status: str, entities: num, relationships: num, orphans: num, duplicates: num, issues: z.array(z.unknown()).optional().catch(undefined) });
export const Entities = obj({ entities: z.array(obj({ id: str, type: str, name: str })).optional().catch(undefined), total: num });
export const CogneeQuery = obj({ results: z.array(z.unknown()).optional().catch(undefined) });
export const Intent = obj({ intent: str, confidence: num, route: str });
export const Rag = obj({ chunks: z.array(z.unknown()).optional().catch(undefined), relevance_scores: z.array(z.number()).optional().catch(undefined) });
export const CogneeDebug = obj({ entities: z.array(z.unknown()).optional().catch(undefined), relationships: z.array(z.unknown()).optional().catch(undefined) });
export const Confidence = obj({ freshness: num, reliability: num, grounding: num, coherence: num, overall: num });
export const Profile = obj({ total_time_ms: num, breakdown: z.record(z.string(), z.coerce.number()).optional().catch(undefined) });
export const Anything = z.unknown();
