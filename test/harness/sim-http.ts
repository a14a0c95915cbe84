/** Plain HTTP calls to the simulator, as the tests of the simulator itself make them. */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

export interface CallOptions {
  method?: string;
  /** An object is sent as JSON, a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  base?: string;
}

/** Calls paths on the simulator at `baseUrl()` (or options.base). */
export function simHttp(baseUrl: () => string) {
  async function call(path: string, options: CallOptions = {}) {
    const { body } = options;
    const res = await request((options.base ?? baseUrl()) + path, {
      method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: options.signal,
    });
    const text = await res.body.text();
    return { status: res.statusCode, type: String(res.headers['content-type']), text, json: () => JSON.parse(text) as Record<string, any> };
  }
  const post = (path: string, body: unknown = {}) => call(path, { method: 'POST', body });
  return { call, post };
}

/** One simulator per test file, reset after each test. Read `rig.sim` inside tests. */
export function useSimulator(opts: Parameters<typeof startSimulator>[0] = {}): { sim: Simulator } {
  const rig = {} as { sim: Simulator };
  beforeAll(async () => {
    rig.sim = await startSimulator(opts);
  });
  afterEach(() => rig.sim.reset());
  afterAll(() => rig.sim.close());
  return rig;
}
