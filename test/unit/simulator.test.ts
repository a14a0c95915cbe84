import { describe, expect, it } from 'vitest';
import { simHttp, useSimulator } from '../harness/sim-http.js';

const rig = useSimulator({ jobPollsToFinish: 3 });
const { call, post } = simHttp(() => rig.sim.url);

async function pollUntilDone(jobId: string) {
  const seen: Record<string, any>[] = [];
  for (let i = 0; i < 10; i++) {
    const status = (await call(`/cognee/ingest/status/${jobId}`)).json();
    seen.push(status);
    if (status.status !== 'running') return seen;
  }
  throw new Error(`job ${jobId} never finished`);
}

function prometheusGauges(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]),
  );
}

describe('endpoints answer the runbook shapes', () => {
  it('health checks', async () => {
    const health = await call('/health');
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'healthy' });
    expect(Date.parse(health.json().timestamp)).not.toBeNaN();
    expect((await call('/api/health/db')).json()).toEqual({ database: 'connected', latency_ms: 15, connection_pool_usage: 0.35 });
    expect((await call('/cognee/health')).json()).toMatchObject({ cognee: 'ready', graph_db: 'connected', entities: 1234 });
    const frontend = await call('/', { base: rig.sim.frontendUrl });
    expect(frontend.status).toBe(200);
    expect(frontend.type).toContain('text/html');
    expect(frontend.text).toContain('<html');
  });

  it('metrics as Prometheus text, and as JSON when asked', async () => {
    const prom = await call('/metrics', { headers: { accept: 'text/plain' } });
    expect(prom.type).toContain('text/plain');
    expect(prom.text).toContain('# HELP error_rate');
    expect(prom.text).toContain('# TYPE error_rate gauge');
    const gauges = prometheusGauges(prom.text);
    const keys = ['error_rate', 'cache_hit_rate', 'response_time_p50_ms', 'response_time_p95_ms', 'response_time_p99_ms', 'memory_usage_mb', 'cpu_usage_percent', 'active_requests', 'request_rate', 'db_connection_pool_usage'];
    expect(Object.keys(gauges).sort()).toEqual([...keys].sort());
    expect(gauges).toMatchObject({ error_rate: 0.004, cache_hit_rate: 0.75, db_connection_pool_usage: 0.35 });
    expect((await call('/metrics', { headers: { accept: 'application/json' } })).json()).toEqual(gauges);
  });

  it('AI query answers about a known product, and says an unknown one is not found', async () => {
    const known = (await post('/ai/query', { query: 'What blockers does Product X have?' })).json();
    expect(known).toMatchObject({ success: true, confidence: expect.any(Number) });
    expect(known.answer).toContain('Product X');
    expect(known.confidence).toBeGreaterThan(0.5);
    expect(known.sources[0]).toMatchObject({ title: expect.any(String), score: expect.any(Number) });
    const unknown = (await post('/ai/query', { query: 'Tell me about Test Product' })).json();
    expect(unknown.answer).toMatch(/Test Product.*not found/);
    expect(unknown.confidence).toBeLessThan(0.5);
    expect((await post('/ai/query', { query: 'health check test' })).json()).toMatchObject({ success: true, answer: expect.any(String) });
  });

  it('version, cache stats, warm-up and cache clearing', async () => {
    expect((await call('/version')).json()).toMatchObject({ version: 'v1.4.2', previous: 'v1.4.1', commit: expect.any(String), deployed_at: expect.any(String) });
    expect((await call('/cognee/cache/stats')).json()).toMatchObject({ cache_hit_rate: 0.75, cache_size: 500, avg_hit_latency_ms: 2, avg_miss_latency_ms: 200 });
    rig.sim.preset('cold-cache');
    expect((await post('/cognee/warm-up')).json()).toMatchObject({ success: true, warmed: expect.any(Number) });
    expect((await call('/cognee/cache/stats')).json().cache_hit_rate).toBe(0.8);
    expect(prometheusGauges((await call('/metrics')).text).cache_hit_rate).toBe(0.8);
    expect((await post('/cache/clear-expired')).json()).toMatchObject({ success: true, cleared: expect.any(Number) });
    const size = rig.sim.state.cache.size;
    expect((await post('/cache/clear')).json()).toMatchObject({ success: true, cleared: size });
    expect(rig.sim.state.cache.size).toBe(0);
  });

  it('Cognee diagnostics, entities (GET and POST) and query', async () => {
    expect((await call('/cognee/diagnostics')).json()).toEqual({ status: 'ok', entities: 1234, relationships: 3456, orphans: 0, duplicates: 0, issues: [] });
    const posted = (await post('/cognee/entities', { entity_type: 'Product', limit: 2 })).json();
    expect(posted.entities).toHaveLength(2);
    expect(posted.entities[0]).toMatchObject({ id: expect.any(String), type: 'Product', name: expect.any(String) });
    expect(posted.total).toBe(rig.sim.state.products.length);
    expect((await call('/cognee/entities?entity_type=Product&limit=1')).json().entities).toHaveLength(1);
    const results = (await post('/cognee/query', { query: 'Show me all products in Q1 2025 Week 1' })).json().results;
    expect(results.length).toBe(rig.sim.state.products.length);
  });

  it('debug pipeline stages', async () => {
    const query = 'What blockers does Product X have?';
    expect((await post('/debug/intent', { query })).json()).toEqual({ intent: 'blockers', confidence: 0.95, route: 'rag' });
    const rag = (await post('/debug/rag', { query, product_id: '550e8400' })).json();
    expect(rag.chunks.length).toBeGreaterThan(0);
    expect(rag.relevance_scores).toHaveLength(rag.chunks.length);
    const cognee = (await post('/debug/cognee', { query, product_id: '550e8400' })).json();
    expect(cognee.entities).toContainEqual(expect.objectContaining({ name: 'Product X' }));
    expect(cognee.relationships.length).toBeGreaterThan(0);
    expect((await post('/debug/confidence', { product_id: '550e8400' })).json()).toEqual({ freshness: 0.9, reliability: 0.85, grounding: 0.95, coherence: 0.75, overall: 0.85 });
    expect((await post('/debug/profile', { query: 'Tell me about Product X', enable_profiling: true })).json()).toEqual({
      total_time_ms: 850,
      breakdown: { intent_classification: 5, rag_retrieval: 120, cognee_query: 500, llm_generation: 200, confidence_scoring: 10, response_assembly: 15 },
    });
  });

  it('sync ingest starts a job', async () => {
    const started = (await post('/api/sync/ingest')).json();
    expect(started).toMatchObject({ success: true, job_id: expect.stringMatching(/^[0-9a-f]{12}$/), message: 'Full sync started' });
    expect((await pollUntilDone(started.job_id)).at(-1)).toMatchObject({ status: 'completed' });
  });

  it('answers like FastAPI to unknown paths, wrong methods and bad bodies', async () => {
    expect(await call('/no/such/path')).toMatchObject({ status: 404, text: '{"detail":"Not Found"}' });
    expect((await call('/ai/query')).status).toBe(405);
    const badJson = await call('/ai/query', { method: 'POST', body: '{"query": ' });
    expect(badJson.status).toBe(422);
    expect(badJson.json().detail).toBeDefined();
    expect((await post('/ai/query', {})).status).toBe(422);
    expect((await call('/cognee/ingest/status/0123456789ab')).json()).toEqual({ detail: 'job not found' });
  });
});

describe('presets', () => {
  it('change the numbers coherently', async () => {
    const gauges = async () => prometheusGauges((await call('/metrics')).text);
    rig.sim.preset('degraded');
    expect(await gauges()).toMatchObject({ error_rate: 0.07, response_time_p95_ms: 900 });
    rig.sim.preset('cold-cache');
    expect((await call('/cognee/cache/stats')).json().cache_hit_rate).toBe(0.2);
    expect((await gauges()).cache_hit_rate).toBe(0.2);
    rig.sim.preset('overloaded');
    expect(await gauges()).toMatchObject({ active_requests: 35, cpu_usage_percent: 95 });
    rig.sim.preset('high-memory');
    expect((await gauges()).memory_usage_mb).toBe(2100);
    rig.sim.preset('slow-ai');
    expect((await gauges()).response_time_p95_ms).toBe(2400);
    expect((await post('/debug/profile')).json().breakdown.cognee_query).toBe(2600);
    rig.sim.preset('healthy');
    expect(await gauges()).toMatchObject({ error_rate: 0.004, response_time_p95_ms: 320 });
  });

  it('down: every route unavailable and the state unhealthy', async () => {
    rig.sim.preset('down');
    expect(rig.sim.state.healthy).toBe(false);
    for (const path of ['/health', '/api/health/db', '/metrics', '/no/such/path']) expect((await call(path)).status).toBe(503);
    expect((await call('/', { base: rig.sim.frontendUrl })).status).toBe(503);
    rig.sim.setFault('*', null);
    const health = await call('/health');
    expect(health.status).toBe(503);
    expect(health.json().status).toBe('unhealthy');
  });

  it('describe() names the preset, overrides and faults', () => {
    rig.sim.preset('degraded');
    rig.sim.state.metrics.cpu_usage_percent = 88;
    rig.sim.setFault('/health', { kind: 'slow', ms: 2000 });
    const text = rig.sim.describe();
    expect(text).toContain('"degraded"');
    expect(text).toContain('metrics.cpu_usage_percent=88');
    expect(text).toContain('/health → slow 2000 ms');
  });
});

describe('jobs and the knowledge graph', () => {
  it('a job advances on each poll, then completes with counts', async () => {
    const started = (await post('/cognee/ingest/products', { time_window_label: 'Q1 2025 Week 1' })).json();
    expect(started).toMatchObject({ job_id: expect.stringMatching(/^[0-9a-f]{12}$/), status: 'started' });
    const seen = await pollUntilDone(started.job_id);
    expect(seen.map((s) => s.status)).toEqual(['running', 'running', 'completed']);
    expect(seen[0]!.progress).toBeLessThan(seen[1]!.progress);
    expect(seen[2]).toMatchObject({ job_id: started.job_id, progress: 1, time_window_label: 'Q1 2025 Week 1', entities_created: expect.any(Number) });
  });

  it('with jobOutcome failed, a job ends failed with the runbook error', async () => {
    rig.sim.state.jobOutcome = 'failed';
    const { job_id } = (await post('/cognee/ingest/actions')).json();
    const last = (await pollUntilDone(job_id)).at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.error).toContain('Entity already exists');
  });

  it('a webhook INSERT makes its product visible to AI queries', async () => {
    const ask = async () => (await post('/ai/query', { query: 'Tell me about Test Product' })).json();
    expect((await ask()).answer).toContain('not found');
    const payload = { type: 'INSERT', table: 'products', record: { id: 'test-123', name: 'Test Product', lifecycle_stage: 'Develop' } };
    expect((await post('/api/sync/webhook', payload)).json()).toMatchObject({ success: true, message: 'Sync initiated' });
    const answer = await ask();
    expect(answer.answer).toContain('Test Product');
    expect(answer.answer).not.toContain('not found');
    expect((await post('/api/sync/webhook', { type: 'INSERT', table: 'products', record: {} })).status).toBe(422);
  });

  it('reset empties the graph until products are ingested again', async () => {
    expect((await post('/cognee/reset')).json()).toEqual(expect.objectContaining({ success: true, deleted_entities: 1234 }));
    expect((await call('/cognee/health')).json().entities).toBe(0);
    expect((await post('/cognee/entities', { entity_type: 'Product' })).json()).toMatchObject({ entities: [], total: 0 });
    expect((await post('/ai/query', { query: 'Tell me about Product X' })).json().answer).toContain('not found');
    const { job_id } = (await post('/cognee/ingest/products')).json();
    await pollUntilDone(job_id);
    expect((await post('/ai/query', { query: 'Tell me about Product X' })).json().answer).not.toContain('not found');
    expect((await call('/cognee/health')).json().entities).toBeGreaterThan(0);
  });
});

