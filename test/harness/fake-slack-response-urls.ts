/**
 * Slack's response_url: minted per command/interaction, accepts JSON posts
 * (at most 5, within 30 minutes), and turns them into ephemeral or channel
 * messages, or replaces / deletes the original message.
 */
import { isObject } from './block-kit-checks.js';
import { type Args, type Block, type FakeEphemeral, type FakeMessage, type FakeResponse, flag, withSlackIds } from './fake-slack-types.js';
import type { SlackWorkspace } from './fake-slack-workspace.js';

/** Context a response_url is minted in; decides where its posts land. */
export interface ResponseUrlContext {
  channel?: string;
  user?: string;
  /** The message an interaction came from: `replace_original` / `delete_original` act on it. */
  message?: { channel?: string; ts?: string };
}

type Posted = { kind: 'message'; message: FakeMessage } | { kind: 'ephemeral'; ephemeral: FakeEphemeral };

interface ResponseUrlState {
  channel?: string;
  user?: string;
  original?: Posted;
  lastPosted?: Posted;
  uses: number;
  expired: boolean;
  createdAt: number;
}

type Outcome = { status: number; error?: string };

const MAX_USES = 5;
const TTL_MS = 30 * 60 * 1000;

export class ResponseUrls {
  /** Every post to a response_url (and every command ack body), in order. */
  readonly responses: FakeResponse[] = [];
  private readonly states = new Map<string, ResponseUrlState>();
  private count = 0;

  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly baseUrl: () => string,
  ) {}

  mint(context: ResponseUrlContext = {}): string {
    const id = `T${++this.count}${Date.now().toString(36)}`;
    const source = context.message;
    const { ephemerals } = this.workspace;
    const ephemeral = ephemerals.find((e) => e === source || (e.channel === source?.channel && e.ts === source?.ts));
    const message = source?.channel && source.ts ? this.workspace.findMessage(source.channel, source.ts) : undefined;
    const original: Posted | undefined = message
      ? { kind: 'message', message }
      : ephemeral ? { kind: 'ephemeral', ephemeral } : undefined;
    this.states.set(id, {
      channel: context.channel ?? source?.channel, user: context.user, original, uses: 0, expired: false, createdAt: Date.now(),
    });
    return `${this.baseUrl()}/response/${id}`;
  }

  expire(url: string): void {
    const state = this.states.get(idOf(url));
    if (state) state.expired = true;
  }

  /** Slack shows a slash command's non-empty ack body as an immediate response (not one of the 5 uses). */
  applyCommandAck(url: string, ackBody: string): void {
    const state = this.states.get(idOf(url));
    if (!state || ackBody.trim() === '') return;
    let body: unknown;
    try {
      body = JSON.parse(ackBody);
    } catch {
      body = { text: ackBody }; // a plain-text ack is shown as ephemeral text
    }
    const outcome = isObject(body) ? this.apply(state, body) : { status: 400, error: 'invalid_payload' };
    this.responses.push({ url, body, at: Date.now(), ...outcome, ack: true });
  }

  /** Answers a POST to a response_url. Errors are plain-text bodies, as Slack sends them. */
  post(url: string, raw: string): Outcome {
    const state = this.states.get(idOf(url));
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // recorded as the raw string
    }
    let outcome: Outcome;
    if (!state) outcome = { status: 404, error: 'no_service' };
    else if (state.expired || Date.now() - state.createdAt > TTL_MS) outcome = { status: 404, error: 'expired_url' };
    else if (state.uses >= MAX_USES) outcome = { status: 404, error: 'used_url' };
    else if (!isObject(body)) outcome = { status: 400, error: 'invalid_payload' };
    else outcome = this.apply(state, body);
    if (state && outcome.status === 200) state.uses++;
    this.responses.push({ url, body, at: Date.now(), ...outcome });
    return outcome;
  }

  /** What a response does to the channel. replace/delete act on the original message, else the last one posted here. */
  private apply(state: ResponseUrlState, body: Args): Outcome {
    const ws = this.workspace;
    const target = state.original ?? state.lastPosted;
    if (flag(body.delete_original)) {
      if (target?.kind === 'message') removeItem(ws.messages, target.message);
      if (target?.kind === 'ephemeral') removeItem(ws.ephemerals, target.ephemeral);
      return { status: 200 };
    }
    const checked = ws.checkContent('response_url', body);
    if ('error' in checked) return { status: 400, error: checked.error.error };
    const { text = '', blocks = [] } = checked.content;
    if (flag(body.replace_original) && target) {
      if (target.kind === 'message') ws.editMessage(target.message, { text, blocks });
      else Object.assign(target.ephemeral, { text, blocks: withSlackIds(blocks) });
      state.lastPosted = target;
      return { status: 200 };
    }
    if (!state.channel) return { status: 404, error: 'channel_not_found' };
    state.lastPosted = this.postNew(state.channel, state.user, body, text, blocks);
    return { status: 200 };
  }

  private postNew(channel: string, user: string | undefined, body: Args, text: string, blocks: Block[]): Posted {
    const ws = this.workspace;
    const thread = typeof body.thread_ts === 'string' && body.thread_ts ? { thread_ts: body.thread_ts } : {};
    if (body.response_type === 'in_channel') {
      const message: FakeMessage = { channel, ts: ws.nextTs(), text, blocks: withSlackIds(blocks), user: ws.botUserId, history: [], ...thread };
      ws.messages.push(message);
      return { kind: 'message', message };
    }
    const ephemeral: FakeEphemeral = { channel, user: user ?? '', text, blocks: withSlackIds(blocks), ts: ws.nextTs(), ...thread };
    ws.ephemerals.push(ephemeral);
    return { kind: 'ephemeral', ephemeral };
  }
}

function idOf(url: string): string {
  return url.split('/response/')[1] ?? '';
}

function removeItem<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
