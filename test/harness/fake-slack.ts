/**
 * A fake Slack on loopback for end-to-end tests: the Web API (give the bot
 * `apiUrl` as SLACK_API_URL), response_urls, fault injection, and a record of
 * everything the bot sent. It answers - and refuses - like Slack does, so a
 * message that passes here would pass in Slack.
 */
import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isObject } from './block-kit-checks.js';
import type { ApiResult, Args, FakeCall, FakeResponse, FakeView } from './fake-slack-types.js';
import { type ResponseUrlContext, ResponseUrls } from './fake-slack-response-urls.js';
import { SlackViews } from './fake-slack-views.js';
import { SlackWorkspace, type WorkspaceOptions } from './fake-slack-workspace.js';

export type * from './fake-slack-types.js';
export type { ResponseUrlContext } from './fake-slack-response-urls.js';

export type Failure = { status: 429; retryAfter: number } | { status: number; error?: string };

export interface FakeSlackOptions extends WorkspaceOptions {
  /** How long a trigger_id stays usable; Slack's is 3 s. */
  triggerTtlMs?: number;
  /** The app-level token (xapp-…) that apps.connections.open accepts, for Socket Mode. */
  appToken?: string;
}

/** Form-encoded Web API calls carry these as JSON strings. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'unfurled_attachments'];

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(opts);
  await fake.listen();
  return fake;
}

export class FakeSlack extends SlackWorkspace {
  /** Base for the bot's SLACK_API_URL: method URL = apiUrl + 'chat.postMessage'. */
  apiUrl = '';
  readonly calls: FakeCall[] = [];
  readonly responses: FakeResponse[];
  private baseUrl = '';
  private readonly server: Server;
  private readonly slackViews: SlackViews;
  private readonly failures = new Map<string, { failure: Failure; remaining: number }[]>();
  private readonly responseUrls: ResponseUrls;
  /** Emits 'change' after each request the fake has handled, so waiters look again at once. */
  private readonly changes = new EventEmitter().setMaxListeners(0);

  /** Where apps.connections.open sends Socket Mode clients (see fake-socket-mode.ts). */
  socketUrl?: string;
  readonly appToken?: string;

  constructor(opts: FakeSlackOptions = {}) {
    super(opts);
    this.appToken = opts.appToken;
    this.methods['apps.connections.open'] = () => (this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'socket_mode_not_enabled' });
    this.slackViews = new SlackViews(this, opts.triggerTtlMs);
    Object.assign(this.methods, this.slackViews.methods);
    this.responseUrls = new ResponseUrls(this, () => this.baseUrl);
    this.responses = this.responseUrls.responses;
    this.server = createServer((req, res) => {
      this.route(req, res)
        .catch((err: unknown) => send(res, 500, 'text/plain', `fake slack crashed: ${String(err)}`))
        .finally(() => this.changes.emit('change'));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes the next `times` calls of `method` fail (429 with Retry-After, 5xx, or 200 with an error). */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, remaining: times });
    this.failures.set(method, queue);
  }

  mintTriggerId(user: string): string {
    return this.slackViews.mintTriggerId(user);
  }

  expireTrigger(triggerId: string): void {
    this.slackViews.expireTrigger(triggerId);
  }

  viewObject(view: FakeView, stateValues: Record<string, unknown> = {}): Record<string, unknown> {
    return this.slackViews.viewObject(view, stateValues);
  }

  applySubmissionAck(view: FakeView, ackBody: string): void {
    this.slackViews.applySubmissionAck(view, ackBody);
  }

  /** Mints a fresh response_url on this server (see ResponseUrlContext for where its posts land). */
  responseUrl(context: ResponseUrlContext = {}): string {
    return this.responseUrls.mint(context);
  }

  expireResponseUrl(url: string): void {
    this.responseUrls.expire(url);
  }

  /** Shows a slash command's ack body the way Slack does (used by SlackDriver.command). */
  applyCommandAck(responseUrl: string, ackBody: string): void {
    this.responseUrls.applyCommandAck(responseUrl, ackBody);
  }

  /** Content the fake refused (invalid blocks, too-long text, bad views); empty when all was valid. */
  allPostedBlocksValid(): string[] {
    return [...this.rejections];
  }

  /**
   * Tries `probe` after each request the fake handles, and at least every `pollMs` (for
   * state that changes elsewhere), until it returns something other than undefined/false/null.
   */
  async waitFor<T>(probe: () => T | undefined | false | null, timeoutMs = 5000, pollMs = 10): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = probe();
        if (value !== undefined && value !== false && value !== null) return value;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) break;
      await this.nextChange(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
    const recentCalls = this.calls.slice(-10).map((c) => `${c.method}${c.ok ? '' : ` → ${c.error}`}`);
    throw new Error(
      [
        `waitFor timed out after ${timeoutMs} ms waiting for: ${probe.toString()}`,
        lastError ? `last probe error: ${String(lastError)}` : undefined,
        `recent Web API calls: ${recentCalls.join(', ') || 'none'}`,
        `response_url posts: ${this.responses.length}; rejected content: ${this.rejections.join(' | ') || 'none'}`,
      ].filter(Boolean).join('\n'),
    );
  }

  /** Resolves after the next request the fake handles, or after `ms`. */
  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.changes.off('change', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.changes.once('change', done);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (url.pathname.startsWith('/api/')) return this.handleApi(url.pathname.slice('/api/'.length), req, url, raw, res);
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      const outcome = this.responseUrls.post(`${this.baseUrl}${url.pathname}`, raw);
      return outcome.error ? send(res, outcome.status, 'text/plain', outcome.error) : sendJson(res, 200, { ok: true });
    }
    send(res, 404, 'text/plain', 'not found');
  }

  private handleApi(method: string, req: IncomingMessage, url: URL, raw: string, res: ServerResponse): void {
    const handler = this.methods[method];
    if (!handler) {
      this.calls.push({ method, args: {}, ok: false, error: 'unknown_method', at: Date.now() });
      return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    }
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    const parsed = parseArgs(raw, isJson, url.searchParams);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // JSON bodies must authenticate with the header; form bodies may carry `token`.
    const token = bearer ?? (isJson ? undefined : parsed.args?.token);
    const args = { ...parsed.args };
    delete args.token;
    const record = (result: ApiResult) =>
      this.calls.push({ method, args, ok: result.ok, ...(result.error ? { error: result.error } : {}), at: Date.now() });

    const failure = this.takeFailure(method);
    if (failure) {
      const error = 'retryAfter' in failure ? 'ratelimited' : failure.error ?? (failure.status >= 500 ? 'internal_error' : 'fatal_error');
      record({ ok: false, error });
      const headers: Record<string, string> = 'retryAfter' in failure ? { 'retry-after': String(failure.retryAfter) } : {};
      return sendJson(res, failure.status, { ok: false, error }, headers);
    }
    // Socket Mode opens its connection with the app-level token, every other method with the bot token.
    const expected = method === 'apps.connections.open' ? this.appToken : this.token;
    let result: ApiResult;
    if (parsed.error) result = { ok: false, error: parsed.error };
    else if (!token) result = { ok: false, error: 'not_authed' };
    else if (token !== expected) result = { ok: false, error: 'invalid_auth' };
    else result = handler(args);
    record(result);
    sendJson(res, 200, result);
  }

  private takeFailure(method: string): Failure | undefined {
    const next = this.failures.get(method)?.[0];
    if (!next) return undefined;
    if (--next.remaining <= 0) this.failures.get(method)?.shift();
    return next.failure;
  }
}

function parseArgs(raw: string, isJson: boolean, query: URLSearchParams): { args?: Args; error?: string } {
  const args: Args = Object.fromEntries(query);
  if (isJson) {
    try {
      const body: unknown = raw === '' ? {} : JSON.parse(raw);
      if (!isObject(body)) return { error: 'invalid_json' };
      Object.assign(args, body);
    } catch {
      return { error: 'invalid_json' };
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // left as a string: the method answers invalid_blocks_format / invalid_arguments
    }
  }
  return { args };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}
