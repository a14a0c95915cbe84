import { startFakeGroq, type FakeGroq } from '../harness/fake-groq.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../src/core/runbooks/loader.js';
import { TriageIndex, triage } from '../../src/core/runbooks/triage.js';
import type { GroqOptions } from '../../src/llm/groq.js';

const runbooks = loadRunbooks();
const byId = new Map(runbooks.map((r) => [r.id, r]));
const index = new TriageIndex(runbooks);

describe('triage: deterministic BM25 puts the right runbook first', () => {
  it.each([
    // The Symptoms lists of RUNBOOK.md, as written…
    ['Users report slow response times', 'slow-ai-queries'],
    ['AI query endpoint timing out', 'slow-ai-queries'],
    ['Ingestion jobs failing', 'cognee-errors'],
    ['Error logs: "Entity already exists"', 'cognee-errors'],
    ['Error rate spike in metrics', 'high-error-rate'],
    ['Users seeing 500 errors', 'high-error-rate'],
    ['CORS errors in browser console', 'high-error-rate'],
    ['Products not appearing in AI queries', 'webhook-sync-failures'],
    ['Webhook endpoint returning 500', 'webhook-sync-failures'],
    ['Service crashes with OOM (Out of Memory)', 'high-memory'],
    ['Request queue building up', 'high-cpu'],
    ['Query returns wrong answer or low confidence', 'debug-ai-query'],
    ['Products not appearing in knowledge graph', 'debug-cognee-ingestion'],
    ['Service response time degraded', 'debug-performance'],
    // …and paraphrases of them.
    ['the AI is really sluggish today', 'slow-ai-queries'],
    ['ai queries keep timing out', 'slow-ai-queries'],
    ['cold start, cache is empty', 'slow-ai-queries'],
    ['graph has duplicated entities after the webhook fired twice', 'cognee-errors'],
    ['inconsistent query results from the knowledge graph', 'cognee-errors'],
    ['lots of 5xx from the api', 'high-error-rate'],
    ['database connection pool exhausted', 'high-error-rate'],
    ['new products do not show up in answers', 'webhook-sync-failures'],
    ['supabase webhook not syncing new products', 'webhook-sync-failures'],
    ['stale data in chromadb', 'webhook-sync-failures'],
    ['out of memory, render keeps auto restarting', 'high-memory'],
    ['memory usage above 2GB', 'high-memory'],
    ['service unresponsive, cpu pegged', 'high-cpu'],
    ['too many concurrent requests, overloaded', 'high-cpu'],
    ['the answer has missing sources', 'debug-ai-query'],
    ['ingestion job never finishes', 'debug-cognee-ingestion'],
    ['which stage is the bottleneck of a slow query', 'debug-performance'],
    ['we just deployed a new version', 'deployment-verification'],
    ['error rate above 10% since the deploy, roll back?', 'rollback-check'],
    ['bad deploy, revert to the previous version', 'rollback'],
    ['everything is down, all endpoints return 503', 'quick-health-check'],
    ['time for the weekly maintenance', 'weekly-maintenance'],
    ['rotate api keys and security audit', 'monthly-maintenance'],
  ])('%s → %s', (text, expected) => {
    expect(index.rank(text)[0]?.id).toBe(expected);
  });

  it('offers at most three, best first, and nothing for words no runbook knows', () => {
    const ranked = index.rank('slow queries and high memory');
    expect(ranked).toHaveLength(3);
    expect(ranked.map((m) => m.score)).toEqual([...ranked.map((m) => m.score)].sort((a, b) => b - a));
    expect(index.rank('banana smoothie recipe')).toEqual([]);
  });
});

/** Groq's stand-in: each test sets how it answers. */
let fake: FakeGroq;
let groq: GroqOptions;

beforeAll(async () => {
  fake = await startFakeGroq();
  groq = { apiKey: 'gsk_test_key', baseURL: fake.url, model: 'llama-test', timeoutMs: 300 };
});

afterAll(() => fake.close());

describe('triage: the optional Groq rerank suggests, and falls back when it cannot be trusted', () => {
  const text = 'queries are slow and memory is high';

  it('reorders the candidates and explains in one sentence', async () => {
    fake.requests.length = 0;
    const deterministic = index.rank(text, 5).map((m) => m.id);
    const preferred = deterministic[2]!;
    fake.answer = () => ({ content: JSON.stringify({ ranking: [preferred], explanation: 'Memory pressure explains both symptoms.' }) });
    const result = await triage(index, byId, text, groq);
    expect(result).toMatchObject({ ranking: 'llm', explanation: 'Memory pressure explains both symptoms.' });
    expect(result.fallback).toBeUndefined();
    expect(result.matches.map((m) => m.id)).toEqual([preferred, ...deterministic.filter((id) => id !== preferred)].slice(0, 3));
    expect(fake.requests[0]).toMatchObject({ auth: 'Bearer gsk_test_key', body: { model: 'llama-test' } });
  });

  it.each([
    ['names a runbook that does not exist', () => ({ content: JSON.stringify({ ranking: ['drop-database'], explanation: 'Trust me.' }) }), 'the AI reranking was ignored: it named runbooks that are not candidates'],
    ['answers prose, not JSON', () => ({ content: 'I think it is the cache.' }), 'the AI reranking was ignored: its answer was not JSON'],
    ['answers JSON of another shape', () => ({ content: JSON.stringify({ best: 'slow-ai-queries' }) }), 'the AI reranking was ignored: its answer did not have the expected shape'],
    ['is slower than its timeout', () => ({ delayMs: 1000, content: '{}' }), 'the AI reranking timed out'],
    ['is down (HTTP 503)', () => ({ status: 503, content: '' }), 'the AI reranking failed (Groq answered 503)'],
  ])('when Groq %s, the deterministic ranking stands and says so', async (_what, reply, reason) => {
    fake.answer = reply;
    const result = await triage(index, byId, text, groq);
    expect(result).toMatchObject({ ranking: 'deterministic', fallback: reason });
    expect(result.explanation).toBeUndefined();
    expect(result.matches).toEqual(index.rank(text));
  });

  it('when Groq cannot be reached at all', async () => {
    const result = await triage(index, byId, text, { ...groq, baseURL: 'http://127.0.0.1:1' });
    expect(result).toMatchObject({ ranking: 'deterministic', fallback: 'the AI reranking is unavailable (Groq could not be reached)' });
  });

  it('without a key nothing is sent to Groq', async () => {
    fake.requests.length = 0;
    const result = await triage(index, byId, text);
    expect(result).toEqual({ matches: index.rank(text), ranking: 'deterministic' });
    expect(fake.requests).toEqual([]);
  });
});
