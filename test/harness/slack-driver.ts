/**
 * Plays Slack's side of the HTTP conversation with a Bolt app: slash commands,
 * button clicks, checkbox ticks, modal submissions and Events API deliveries,
 * with Slack's payload shapes and request signing. Works with a FakeSlack,
 * which mints the response_urls / trigger_ids and shows ack bodies as Slack would.
 */
import { createHmac } from 'node:crypto';
import type { FakeSlack } from './fake-slack.js';
import { type Block, type FakeMessage, type FakeView, randomId } from './fake-slack-types.js';
import { type Choices, elementState, emptyRequiredInputs, findButton, interactiveElements, stateValues } from './slack-driver-state.js';

export interface SignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function signRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): SignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${digest}` };
}

export interface SentRequest {
  rawBody: string;
  headers: Record<string, string>;
}

export interface DriverResponse {
  status: number;
  body: string;
  /** Time until the HTTP response arrived: the app's ack latency. */
  ms: number;
  /** The response's headers, names in lower case. */
  headers: Record<string, string>;
  /** Exactly what was sent, for resend(). */
  request: SentRequest;
}

export interface InteractionResponse extends DriverResponse {
  responseUrl: string;
  triggerId: string;
}

/** How a delivery is made: Slack retries, or a replayed / forged signature. */
export interface DeliveryOptions {
  /** Adds X-Slack-Retry-Num and X-Slack-Retry-Reason: http_timeout. */
  retryNum?: number;
  /** Sign with this timestamp instead of now (replay tests). */
  timestamp?: number;
  /** Send this x-slack-signature instead of the computed one (forgery tests). */
  signature?: string;
}

export interface ActorOptions extends DeliveryOptions {
  userId?: string;
  channelId?: string;
}

export interface SlackDriverOptions {
  /** e.g. http://127.0.0.1:PORT/slack/events */
  appUrl: string;
  signingSecret: string;
  fake: FakeSlack;
  teamId?: string;
  /** Who acts when a call does not say (default U0TESTER, who holds no bot role). */
  userId?: string;
  channelId?: string;
}

/** A message on screen: a fake.messages / fake.ephemerals entry, or anything carrying its channel and ts. */
export interface OnScreenMessage {
  blocks?: Block[];
  ts?: string;
  channel?: string;
}

const VERIFICATION_TOKEN = 'fake-verification-token';
const FORM = 'application/x-www-form-urlencoded';

export class SlackDriver {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  private readonly fake: FakeSlack;
  /** Choices the user made on a message (ticks), which Slack keeps until the message's blocks change. */
  private readonly choicesOnScreen = new Map<string, { blocksJson: string; choices: Choices }>();

  constructor(private readonly opts: SlackDriverOptions) {
    this.fake = opts.fake;
    this.teamId = opts.teamId ?? opts.fake.teamId;
    this.userId = opts.userId ?? 'U0TESTER';
    this.channelId = opts.channelId ?? 'COPS0001';
  }

  /** A slash command as Slack posts it; a non-empty ack body is shown in the fake as Slack shows it. */
  async command(text: string, opts: ActorOptions & { command?: string } = {}): Promise<InteractionResponse> {
    const user = this.user(opts.userId);
    const channel = opts.channelId ?? this.channelId;
    const responseUrl = this.fake.responseUrl({ channel, user: user.id });
    const triggerId = this.fake.mintTriggerId(user.id);
    const body = new URLSearchParams({
      token: VERIFICATION_TOKEN, team_id: this.teamId, team_domain: this.fake.teamDomain, channel_id: channel,
      channel_name: this.channelName(channel), user_id: user.id, user_name: user.name, command: opts.command ?? '/svp',
      text, api_app_id: this.fake.appId, is_enterprise_install: 'false', response_url: responseUrl, trigger_id: triggerId,
    }).toString();
    const result = await this.send(body, FORM, opts);
    if (result.status === 200) this.fake.applyCommandAck(responseUrl, result.body);
    return { ...result, responseUrl, triggerId };
  }

  /** Re-sends a previous request byte for byte (a replayed delivery). */
  resend(last: { request: SentRequest }): Promise<DriverResponse> {
    return this.post(last.request.rawBody, last.request.headers);
  }

  /** Clicks a button (by action_id or label) on a message that is currently in Slack. */
  async clickButton(
    message: OnScreenMessage,
    actionIdOrLabel: string,
    opts: ActorOptions & { value?: string; responseUrl?: string } = {},
  ): Promise<InteractionResponse> {
    const screen = this.onScreen(message);
    const { block, element } = findButton(screen.blocks, actionIdOrLabel);
    const value = opts.value ?? element.value;
    const action = {
      action_id: element.action_id, block_id: block.block_id, text: element.text,
      ...(value !== undefined ? { value } : {}), ...(element.style ? { style: element.style } : {}),
      type: 'button', action_ts: actionTs(),
    };
    return this.sendBlockActions(screen, action, opts);
  }

  /** Sets a checkboxes element to exactly `optionValues` (the new full selection), as a user ticking boxes. */
  async tickCheckbox(
    message: OnScreenMessage,
    blockId: string,
    optionValues: string[],
    opts: ActorOptions & { actionId?: string; responseUrl?: string } = {},
  ): Promise<InteractionResponse> {
    const screen = this.onScreen(message);
    const block = screen.blocks.find((b) => b.block_id === blockId);
    if (!block) throw new Error(`no block "${blockId}" in the message (blocks: ${screen.blocks.map((b) => b.block_id).join(', ')})`);
    if (block.type === 'input' && !block.dispatch_action) {
      throw new Error(`Slack sends no block_actions for input block "${blockId}" without dispatch_action`);
    }
    const found = interactiveElements([block]).find(
      (p) => p.element.type === 'checkboxes' && (!opts.actionId || p.element.action_id === opts.actionId),
    );
    if (!found) throw new Error(`no checkboxes in block "${blockId}"`);
    const { element } = found;
    const state = elementState(element, optionValues) as { selected_options: Block[] };
    this.rememberChoice(screen, blockId, element.action_id, optionValues);
    const action = { type: 'checkboxes', action_id: element.action_id, block_id: blockId, selected_options: state.selected_options, action_ts: actionTs() };
    return this.sendBlockActions(screen, action, opts);
  }

  /**
   * Submits an open modal. `values` maps block_id → action_id → the user's
   * answer (a string, option value(s), user id) or a Slack-shaped state object.
   * Throws where Slack's client would refuse to submit (closed modal, empty required input).
   */
  async submitView(
    view: Pick<FakeView, 'id'>,
    values: Choices,
    opts: DeliveryOptions & { userId?: string } = {},
  ): Promise<DriverResponse & { triggerId: string }> {
    const live = this.fake.views.modals.find((m) => m.id === view.id);
    if (!live) throw new Error(`no modal ${view.id} was opened`);
    if (live.closed) throw new Error(`modal ${view.id} is already closed`);
    const state = stateValues(live.blocks, values);
    const empty = emptyRequiredInputs(live.blocks, state);
    if (empty.length > 0) throw new Error(`Slack would not submit: required inputs are empty: ${empty.join(', ')}`);
    const user = this.user(opts.userId ?? live.user);
    const triggerId = this.fake.mintTriggerId(user.id);
    const payload = {
      type: 'view_submission', team: this.team(), user: this.userObject(user), api_app_id: this.fake.appId,
      token: VERIFICATION_TOKEN, trigger_id: triggerId, view: this.fake.viewObject(live, state),
      response_urls: [], is_enterprise_install: false, enterprise: null,
    };
    const result = await this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);
    if (result.status === 200) this.fake.applySubmissionAck(live, result.body);
    return { ...result, triggerId };
  }

  /** An Events API delivery (e.g. `{ type: 'app_home_opened', user, tab: 'home' }`). */
  async event(event: object, opts: DeliveryOptions & { eventId?: string } = {}): Promise<DriverResponse & { eventId: string }> {
    const eventId = opts.eventId ?? `Ev${randomId(10)}`;
    const envelope = {
      token: VERIFICATION_TOKEN, team_id: this.teamId, context_team_id: this.teamId, context_enterprise_id: null,
      api_app_id: this.fake.appId, event: { event_ts: actionTs(), ...event }, type: 'event_callback', event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.fake.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false, event_context: `4-${randomId(20)}`,
    };
    const result = await this.send(JSON.stringify(envelope), 'application/json', opts);
    return { ...result, eventId };
  }

  urlVerification(challenge: string, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    return this.send(JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }), 'application/json', opts);
  }

  /** Low level: POSTs a raw body with exactly these headers. */
  async post(rawBody: string, headers: Record<string, string>): Promise<DriverResponse> {
    const started = performance.now();
    const response = await fetch(this.opts.appUrl, { method: 'POST', headers, body: rawBody });
    const body = await response.text();
    return { status: response.status, body, ms: performance.now() - started, headers: Object.fromEntries(response.headers), request: { rawBody, headers } };
  }

  private send(rawBody: string, contentType: string, delivery: DeliveryOptions): Promise<DriverResponse> {
    const signed = signRequest(this.opts.signingSecret, rawBody, delivery.timestamp);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signed,
      ...(delivery.signature !== undefined ? { 'x-slack-signature': delivery.signature } : {}),
      ...(delivery.retryNum !== undefined ? { 'x-slack-retry-num': String(delivery.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    };
    return this.post(rawBody, headers);
  }

  private async sendBlockActions(
    screen: Screen,
    action: Record<string, unknown>,
    opts: ActorOptions & { responseUrl?: string },
  ): Promise<InteractionResponse> {
    const user = this.user(opts.userId);
    const channel = opts.channelId ?? screen.channel;
    const responseUrl = opts.responseUrl ?? this.fake.responseUrl({ channel, user: user.id, message: { channel: screen.channel, ts: screen.ts } });
    const triggerId = this.fake.mintTriggerId(user.id);
    const payload = {
      type: 'block_actions', user: this.userObject(user), api_app_id: this.fake.appId, token: VERIFICATION_TOKEN,
      container: { type: 'message', message_ts: screen.ts, channel_id: channel, is_ephemeral: screen.ephemeral },
      trigger_id: triggerId, team: this.team(), enterprise: null, is_enterprise_install: false,
      channel: { id: channel, name: this.channelName(channel) },
      // Slack leaves `message` out for ephemeral messages.
      ...(screen.message ? { message: this.fake.messageObject(screen.message) } : {}),
      state: { values: stateValues(screen.blocks, this.choicesFor(screen)) },
      response_url: responseUrl, actions: [action],
    };
    const result = await this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);
    return { ...result, responseUrl, triggerId };
  }

  /** The message as Slack shows it now; a message with channel+ts that is gone cannot be clicked. */
  private onScreen(message: OnScreenMessage): Screen {
    const { ephemerals } = this.fake;
    const ephemeral = ephemerals.find((e) => e === message || (message.ts !== undefined && e.ts === message.ts && e.channel === message.channel));
    if (ephemeral) return { channel: ephemeral.channel, ts: ephemeral.ts, blocks: ephemeral.blocks, ephemeral: true };
    if (message.ts === undefined) {
      // Content Slack never gave a ts to the harness; treat it as an ephemeral in the given channel.
      return { channel: message.channel ?? this.channelId, ts: this.fake.nextTs(), blocks: message.blocks ?? [], ephemeral: true };
    }
    const live = this.fake.findMessage(message.channel ?? this.channelId, message.ts);
    if (!live) throw new Error(`message ${message.channel}/${message.ts} is not in Slack (never posted, or deleted)`);
    return { channel: live.channel, ts: live.ts, blocks: live.blocks, ephemeral: false, message: live };
  }

  private rememberChoice(screen: Screen, blockId: string, actionId: string, choice: unknown): void {
    const choices = this.choicesFor(screen);
    (choices[blockId] ??= {})[actionId] = choice;
    this.choicesOnScreen.set(`${screen.channel}/${screen.ts}`, { blocksJson: JSON.stringify(screen.blocks), choices });
  }

  private choicesFor(screen: Screen): Choices {
    const remembered = this.choicesOnScreen.get(`${screen.channel}/${screen.ts}`);
    // When the app re-renders the message, Slack shows the new initial state.
    return remembered && remembered.blocksJson === JSON.stringify(screen.blocks) ? structuredClone(remembered.choices) : {};
  }

  private user(userId = this.userId): { id: string; name: string } {
    return this.fake.users.get(userId) ?? this.fake.addUser({ id: userId });
  }

  private userObject(user: { id: string; name: string }): Record<string, string> {
    return { id: user.id, username: user.name, name: user.name, team_id: this.teamId };
  }

  private team(): { id: string; domain: string } {
    return { id: this.teamId, domain: this.fake.teamDomain };
  }

  private channelName(channelId: string): string {
    if (channelId.startsWith('D')) return 'directmessage';
    return this.fake.channels.find((c) => c.id === channelId)?.name ?? channelId.toLowerCase();
  }
}

interface Screen {
  channel: string;
  ts: string;
  blocks: Block[];
  ephemeral: boolean;
  message?: FakeMessage;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}
