/** The simulator's fault states, its control API and its shutdown. */
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { simHttp, useSimulator } from '../harness/sim-http.js';

const rig = useSimulator({ jobPollsToFinish: 3 });
const { call, post } = simHttp(() => rig.sim.url);

describe('faults', () => {
  it('unavailable: 503 with an HTML page', async () => {
    rig.sim.setFault('/health', { kind: 'unavailable' });
    const res = await call('/health');
    expect(res.status).toBe(503);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('Service Unavailable');
    expect((await call('/version')).status).toBe(200);
  });

  it('error: the given status and body', async () => {
    rig.sim.setFault('/ai/query', { kind: 'error', status: 500 });
    expect(await post('/ai/query', { query: 'x' })).toMatchObject({ status: 500, text: '{"detail":"Internal Server Error"}' });
    rig.sim.setFault('/ai/query', { kind: 'error', status: 502, body: 'Bad Gateway' });
    expect(await post('/ai/query', { query: 'x' })).toMatchObject({ status: 502, text: 'Bad Gateway' });
  });

  it('slow: answers normally after the delay', async () => {
    rig.sim.setFault('/health', { kind: 'slow', ms: 150 });
    const started = performance.now();
    const res = await call('/health');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.json().status).toBe('healthy');
  });

  it('hang: never answers, so the client times out', async () => {
    rig.sim.setFault('/cognee/health', { kind: 'hang' });
    await expect(call('/cognee/health', { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('malformed: 200 JSON content type whose body does not parse', async () => {
    rig.sim.setFault('/version', { kind: 'malformed' });
    const res = await call('/version');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    expect(() => res.json()).toThrow(SyntaxError);
  });

  it('reset: the socket closes without a response', async () => {
    rig.sim.setFault('/health', { kind: 'reset' });
    await expect(call('/health')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  it('huge: a JSON body of exactly that many bytes', async () => {
    rig.sim.setFault('/cognee/diagnostics', { kind: 'huge', bytes: 2_000_000 });
    const res = await call('/cognee/diagnostics');
    expect(Buffer.byteLength(res.text)).toBe(2_000_000);
    expect(() => res.json()).not.toThrow();
  });

  it("'*' applies everywhere, a route's own fault wins, null clears", async () => {
    rig.sim.setFault('*', { kind: 'error', status: 500 });
    rig.sim.setFault('/version', { kind: 'unavailable' });
    expect((await call('/health')).status).toBe(500);
    expect((await call('/version')).status).toBe(503);
    rig.sim.setFault('*', null);
    expect((await call('/health')).status).toBe(200);
  });

  it('refuses a route that does not exist', () => {
    expect(() => rig.sim.setFault('/helth', { kind: 'hang' })).toThrow(/Unknown route/);
  });
});

describe('calls and the control API', () => {
  it('records every request except control calls', async () => {
    await call('/health');
    await post('/ai/query', { query: 'hi' });
    await call('/cognee/ingest/status/abc');
    await call('/__sim/state');
    expect(rig.sim.calls.map((c) => [c.method, c.route])).toEqual([
      ['GET', '/health'],
      ['POST', '/ai/query'],
      ['GET', '/cognee/ingest/status/:jobId'],
    ]);
    expect(rig.sim.calls[1]!.body).toEqual({ query: 'hi' });
    expect(rig.sim.calls.some((c) => c.route === '/cognee/reset')).toBe(false);
  });

  it('switches faults, presets and state from another process', async () => {
    expect((await post('/__sim/fault', { route: '/health', fault: { kind: 'unavailable' } })).status).toBe(200);
    expect((await call('/health')).status).toBe(503);
    expect((await post('/__sim/fault', { route: '/health', fault: null })).status).toBe(200);
    expect((await call('/health')).status).toBe(200);
    expect((await post('/__sim/fault', { route: '/health', fault: { kind: 'nap' } })).status).toBe(400);
    expect((await post('/__sim/fault', { route: '/nope', fault: { kind: 'hang' } })).status).toBe(400);

    expect((await post('/__sim/preset', { name: 'high-memory' })).status).toBe(200);
    expect(rig.sim.state.metrics.memory_usage_mb).toBe(2100);
    expect((await post('/__sim/preset', { name: 'on-fire' })).status).toBe(400);

    const patched = await call('/__sim/state', { method: 'PATCH', body: { metrics: { error_rate: 0.12 }, cognee: { ready: false } } });
    expect(patched.json().metrics).toMatchObject({ error_rate: 0.12, memory_usage_mb: 2100 });
    expect((await call('/cognee/health')).status).toBe(503);
    expect((await call('/__sim/state', { method: 'PATCH', body: { metrics: { error_rate: 'high' } } })).status).toBe(400);
    expect((await call('/__sim/state', { method: 'PATCH', body: { metricz: {} } })).status).toBe(400);
    expect((await call('/__sim/state')).json().metrics.error_rate).toBe(0.12);

    const calls = (await call('/__sim/calls')).json() as unknown as { route: string }[];
    expect(calls.map((c) => c.route)).toEqual(['/health', '/health', '/cognee/health']);

    expect((await post('/__sim/reset')).status).toBe(200);
    expect(rig.sim.calls).toEqual([]);
    expect(rig.sim.state.metrics.memory_usage_mb).toBe(850);
  });
});

describe('close()', () => {
  it('finishes promptly while a request hangs', async () => {
    const own = await startSimulator();
    own.setFault('*', { kind: 'hang' });
    const hanging = call('/health', { base: own.url }).catch((err: unknown) => err);
    await expect.poll(() => own.calls.length).toBe(1);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
