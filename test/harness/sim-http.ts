/** Plain HTTP calls to the simulator, as the tests of the simulator itself make them. */
import { request } from 'undici';

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
