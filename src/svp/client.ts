/**
 * The one HTTP client for SVP: undici keep-alive pool, a per-request timeout, a capped
 * body, lenient parsing, and one error type (SvpError) that tells the failure modes apart.
 */
import { Agent, request, errors as undiciErrors } from 'undici';
import { OpsError } from '../errors.js';
import { Breakers, DEFAULT_BREAKER, areaOf, isBrokenCircuit, type BreakerOptions } from './breakers.js';
import { endpoints, describeEndpoint, type Endpoint, type EndpointData, type EndpointName } from './endpoints.js';

export type SvpFailure = 'timeout' | 'refused' | 'http' | 'unparseable' | 'network' | 'too_large' | 'circuit_open';

const MAX_BODY_BYTES = 1_000_000;
const PARAM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class SvpError extends OpsError {
  constructor(
    readonly endpoint: EndpointName,
    readonly failure: SvpFailure,
    readonly reason: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('upstream', `\`${describeEndpoint(endpoint)}\` ${reason}`, options);
    this.name = 'SvpError';
  }
}

export interface SvpResult<T> {
  data: T;
  status: number;
  latencyMs: number;
}

export interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
  /** Overrides SVP_TIMEOUT_MS, for follow-ups that may wait longer. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type CallObserver = (endpoint: EndpointName, outcome: 'ok' | SvpFailure, ms: number) => void;

export interface SvpClientOptions {
  apiUrl: string;
  frontendUrl: string;
  timeoutMs: number;
  observe?: CallObserver;
  breaker?: BreakerOptions;
}

/** Failures that say the area is down (not a 4xx about our request). */
const isOutage = (err: unknown) =>
  err instanceof SvpError && (err.failure === 'timeout' || err.failure === 'refused' || err.failure === 'network' || (err.failure === 'http' && (err.status ?? 0) >= 500));

export class SvpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 32, pipelining: 1 });
  readonly breakers: Breakers;

  constructor(private readonly opts: SvpClientOptions) {
    this.breakers = new Breakers(opts.breaker ?? DEFAULT_BREAKER, isOutage);
  }

  get target(): string {
    return this.opts.apiUrl;
  }

  async call<N extends EndpointName>(name: N, options: CallOptions = {}): Promise<SvpResult<EndpointData<N>>> {
    const started = performance.now();
    try {
      const result = await this.breakers.run(name, () => this.send(name, options));
      this.opts.observe?.(name, 'ok', performance.now() - started);
      return result;
    } catch (err) {
      const failure =
        err instanceof SvpError
          ? err
          : isBrokenCircuit(err)
            ? new SvpError(name, 'circuit_open', `skipped: the ${areaOf(name)} area of SVP failed ${this.opts.breaker?.threshold ?? DEFAULT_BREAKER.threshold} times in a row; retrying it after ${Math.round((this.opts.breaker?.halfOpenMs ?? DEFAULT_BREAKER.halfOpenMs) / 1000)} s`)
            : new SvpError(name, 'network', `failed: ${(err as Error).message}`, undefined, { cause: err });
      this.opts.observe?.(name, failure.failure, performance.now() - started);
      throw failure;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private url(name: EndpointName, params: Record<string, string> = {}): string {
    const endpoint: Endpoint = endpoints[name];
    const path = endpoint.path.replace(/:(\w+)/g, (_, key: string) => {
      const value = params[key];
      // Validated here as well as in the commands: user text never escapes its segment.
      if (value === undefined || !PARAM.test(value)) throw new OpsError('usage', `${key} must be 1–64 letters, digits, - or _ (got "${String(value ?? '').slice(0, 40)}")`);
      return value;
    });
    return (endpoint.base === 'frontend' ? this.opts.frontendUrl : this.opts.apiUrl) + path;
  }

  private async send<N extends EndpointName>(name: N, options: CallOptions): Promise<SvpResult<EndpointData<N>>> {
    const endpoint: Endpoint = endpoints[name];
    const url = this.url(name, options.params);
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    const hasBody = endpoint.method === 'POST';
    let response;
    try {
      response = await request(url, {
        method: endpoint.method,
        dispatcher: this.agent,
        signal,
        headers: {
          accept: endpoint.body === 'text' ? 'text/plain, application/json' : 'application/json, text/html',
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          'user-agent': 'svp-ops',
        },
        body: hasBody ? JSON.stringify(options.body ?? {}) : undefined,
      });
    } catch (err) {
      throw this.transportError(name, err, timeoutMs);
    }
    let raw: string;
    try {
      raw = await readCapped(response.body, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) throw new SvpError(name, 'too_large', `answered with a body over ${MAX_BODY_BYTES / 1_000_000} MB`, response.statusCode);
      throw this.transportError(name, err, timeoutMs);
    }
    const latencyMs = Math.round(performance.now() - started);
    if (response.statusCode >= 400) {
      throw new SvpError(name, 'http', `answered ${response.statusCode}${statusText(response.statusCode)}${reasonOf(raw)}`, response.statusCode);
    }
    if (endpoint.body === 'html' || endpoint.body === 'text') {
      return { data: raw as EndpointData<N>, status: response.statusCode, latencyMs };
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SvpError(name, 'unparseable', `answered ${response.statusCode} with a body that is not JSON: "${oneLine(raw, 60)}"`, response.statusCode);
    }
    const parsed = endpoint.schema.safeParse(json);
    if (!parsed.success || typeof json !== 'object' || json === null) {
      throw new SvpError(name, 'unparseable', `answered ${response.statusCode} with JSON of an unexpected shape: "${oneLine(raw, 60)}"`, response.statusCode);
    }
    return { data: parsed.data as EndpointData<N>, status: response.statusCode, latencyMs };
  }

  private transportError(name: EndpointName, err: unknown, timeoutMs: number): SvpError {
    const e = err as { name?: string; code?: string; message?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
      return new SvpError(name, 'timeout', `timed out after ${timeoutMs} ms`, undefined, { cause: err });
    }
    if (e.code === 'ECONNREFUSED') return new SvpError(name, 'refused', 'refused the connection (is the service up?)', undefined, { cause: err });
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new SvpError(name, 'network', 'is unreachable: its host name does not resolve', undefined, { cause: err });
    if (e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET' || err instanceof undiciErrors.SocketError) {
      return new SvpError(name, 'network', 'closed the connection without an answer', undefined, { cause: err });
    }
    return new SvpError(name, 'network', `failed: ${oneLine(e.message ?? String(err), 80)}`, undefined, { cause: err });
  }
}

class BodyTooLarge extends Error {}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new BodyTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const statusText = (status: number) => (STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : '');

/** The service's own explanation, when its error body carries one. */
function reasonOf(raw: string): string {
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    const reason = body.detail ?? body.error ?? body.message;
    if (typeof reason === 'string' && reason) return `: ${oneLine(reason, 120)}`;
  } catch {
    /* not JSON: fall through to the text */
  }
  const text = raw.replace(/<[^>]*>/g, ' ');
  return text.trim() ? `: ${oneLine(text, 80)}` : '';
}

export const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
