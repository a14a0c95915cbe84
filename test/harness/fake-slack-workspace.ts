/**
 * The state of the fake Slack workspace and the Web API methods that act on
 * messages, channels, users and user groups. Each method answers exactly what
 * Slack answers, including its error codes. Views live in fake-slack-views.ts;
 * HTTP, fault injection and response_url handling in fake-slack.ts.
 */
import { MAX_MESSAGE_TEXT, validateBlocks } from './block-kit.js';
import {
  type ApiResult,
  type Args,
  type Block,
  type FakeChannel,
  type FakeEphemeral,
  type FakeMessage,
  type FakeUser,
  type FakeView,
  USER_ID,
  flag,
  randomId,
  withSlackIds,
} from './fake-slack-types.js';

export interface WorkspaceOptions {
  token?: string;
  botUserId?: string;
  teamId?: string;
}

type Content = { text?: string; blocks?: Block[]; attachments?: unknown[] };

export class SlackWorkspace {
  readonly token: string;
  readonly botUserId: string;
  readonly botId = 'B0SVPBOT';
  readonly appId = 'A0SVPOPS';
  readonly teamId: string;
  readonly teamDomain = 'svp-test';

  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views: { home: Record<string, FakeView>; modals: FakeView[] } = { home: {}, modals: [] };
  readonly channels: FakeChannel[] = [];
  readonly users = new Map<string, FakeUser>();
  /** groupId → member user ids, answered by usergroups.users.list. */
  readonly usergroups = new Map<string, string[]>();
  /** Every payload the fake refused for bad content, as "<where>: <error>". */
  protected readonly rejections: string[] = [];
  private lastTsMicros = 0;

  constructor(opts: WorkspaceOptions = {}) {
    this.token = opts.token ?? 'xoxb-test-token';
    this.botUserId = opts.botUserId ?? 'U0SVPBOT';
    this.teamId = opts.teamId ?? 'T0SVPTEST';
    this.addUser({ id: this.botUserId, name: 'svp-ops', is_bot: true });
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    const name = user.name ?? user.id.toLowerCase();
    const full: FakeUser = { name, real_name: name, tz: 'Europe/London', is_bot: false, ...user };
    this.users.set(full.id, full);
    return full;
  }

  /** Registers a pre-existing channel (one the bot did not create). */
  addChannel(channel: Partial<FakeChannel> & { id: string; name: string }): FakeChannel {
    const existing = this.channels.find((c) => c.id === channel.id);
    if (existing) return existing;
    const full: FakeChannel = { is_private: false, created: Math.floor(Date.now() / 1000), creator: '', members: [], ...channel };
    this.channels.push(full);
    return full;
  }

  /** Message timestamps: "seconds.micros", from the clock but strictly increasing. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  recordRejection(where: string, errors: string[]): void {
    for (const error of errors) this.rejections.push(`${where}: ${error}`);
  }

  /** The Slack "message" object used in API responses and interaction payloads. */
  messageObject(message: FakeMessage): Record<string, unknown> {
    return {
      type: 'message', user: message.user, bot_id: this.botId, app_id: this.appId, text: message.text,
      blocks: message.blocks, ts: message.ts, team: this.teamId,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
    };
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Replaces a message's content, keeping the previous version in its history. */
  editMessage(message: FakeMessage, content: Content): void {
    message.history.push({ text: message.text, blocks: message.blocks, at: Date.now() });
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = withSlackIds(content.blocks);
    if (content.attachments !== undefined) message.attachments = content.attachments;
    message.edited = true;
  }

  /**
   * Checks message content the way chat.* and response_url do. Returns the
   * Slack error to answer with, or the usable content.
   */
  checkContent(where: string, args: Args): { error: ApiResult } | { content: Content } {
    const { text, blocks, attachments } = args;
    if (blocks !== undefined && !Array.isArray(blocks)) {
      return { error: { ok: false, error: 'invalid_blocks_format' } };
    }
    if (Array.isArray(blocks)) {
      const errors = validateBlocks(blocks, 'message');
      if (errors.length > 0) {
        this.recordRejection(where, errors);
        return { error: { ok: false, error: 'invalid_blocks', errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } } };
      }
    }
    if (typeof text === 'string' && text.length > MAX_MESSAGE_TEXT) {
      this.recordRejection(where, [`text is ${text.length} characters, more than ${MAX_MESSAGE_TEXT}`]);
      return { error: { ok: false, error: 'msg_too_long' } };
    }
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
    if (!(typeof text === 'string' && text !== '') && !hasBlocks && !hasAttachments) {
      return { error: { ok: false, error: 'no_text' } };
    }
    return {
      content: {
        text: typeof text === 'string' ? text : undefined,
        blocks: Array.isArray(blocks) ? (blocks as Block[]) : undefined,
        attachments: Array.isArray(attachments) ? attachments : undefined,
      },
    };
  }

  /** Channel id for a post: ids, `#name`s of known channels, or a user id (→ that user's DM). */
  private resolveChannel(value: unknown, allowUserId: boolean): string | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    if (/^[CGD][A-Z0-9]{2,}$/.test(value)) {
      const known = this.channels.find((c) => c.id === value);
      // Slack hides private channels the bot is not in.
      if (known?.is_private && !known.members.includes(this.botUserId)) return undefined;
      return value;
    }
    // Slack posts to the user's DM and answers with the D… id; chat.update needs that id.
    if (allowUserId && USER_ID.test(value)) return `D${value.slice(1)}`;
    return this.channels.find((c) => c.name === value.replace(/^#/, ''))?.id;
  }

  private isKnownChannel(id: string): boolean {
    return this.channels.some((c) => c.id === id) || this.messages.some((m) => m.channel === id);
  }

  protected readonly methods: Record<string, (args: Args) => ApiResult> = {
    'auth.test': () => ({
      ok: true, url: `https://${this.teamDomain}.slack.com/`, team: 'SVP Test', user: 'svp-ops',
      team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId, is_enterprise_install: false,
    }),
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.update': (args) => this.updateMessage(args),
    'chat.delete': (args) => this.deleteMessage(args),
    'chat.postEphemeral': (args) => this.postEphemeral(args),
    'conversations.create': (args) => this.createChannel(args),
    'conversations.invite': (args) => this.inviteToChannel(args),
    'conversations.join': (args) => this.joinChannel(args),
    'usergroups.users.list': (args) => {
      const users = this.usergroups.get(String(args.usergroup ?? ''));
      return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
    },
    'users.info': (args) => {
      const id = String(args.user ?? '');
      // Test user ids stand for real people, so any well-formed id exists unless registered otherwise.
      const user = this.users.get(id) ?? (USER_ID.test(id) ? this.addUser({ id }) : undefined);
      if (!user) return { ok: false, error: 'user_not_found' };
      const { email, ...rest } = user;
      return {
        ok: true,
        user: { ...rest, team_id: this.teamId, deleted: false, is_admin: false, profile: { real_name: user.real_name, display_name: user.name, ...(email ? { email } : {}) } },
      };
    },
  };

  private postMessage(args: Args): ApiResult {
    const channel = this.resolveChannel(args.channel, true);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const checked = this.checkContent('chat.postMessage', args);
    if ('error' in checked) return checked.error;
    const { text = '', blocks = [], attachments } = checked.content;
    const message: FakeMessage = {
      channel, ts: this.nextTs(), text, blocks: withSlackIds(blocks), user: this.botUserId, history: [],
      ...(typeof args.thread_ts === 'string' && args.thread_ts ? { thread_ts: args.thread_ts } : {}),
      ...(attachments ? { attachments } : {}),
      ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
    };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: this.messageObject(message) };
  }

  private updateMessage(args: Args): ApiResult {
    const channel = String(args.channel ?? '');
    if (!this.isKnownChannel(channel)) return { ok: false, error: 'channel_not_found' };
    const message = this.findMessage(channel, String(args.ts ?? ''));
    if (!message) return { ok: false, error: 'message_not_found' };
    const checked = this.checkContent('chat.update', args);
    if ('error' in checked) return checked.error;
    // Omitted fields keep their previous value; `blocks: []` removes the blocks.
    this.editMessage(message, checked.content);
    return { ok: true, channel, ts: message.ts, text: message.text, message: this.messageObject(message) };
  }

  private deleteMessage(args: Args): ApiResult {
    const channel = String(args.channel ?? '');
    if (!this.isKnownChannel(channel)) return { ok: false, error: 'channel_not_found' };
    const message = this.findMessage(channel, String(args.ts ?? ''));
    if (!message) return { ok: false, error: 'message_not_found' };
    this.messages.splice(this.messages.indexOf(message), 1);
    return { ok: true, channel, ts: message.ts };
  }

  private postEphemeral(args: Args): ApiResult {
    const channel = this.resolveChannel(args.channel, true);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (typeof args.user !== 'string' || !USER_ID.test(args.user)) return { ok: false, error: 'user_not_found' };
    const checked = this.checkContent('chat.postEphemeral', args);
    if ('error' in checked) return checked.error;
    const { text = '', blocks = [] } = checked.content;
    const ephemeral: FakeEphemeral = {
      channel, user: args.user, text, blocks: withSlackIds(blocks), ts: this.nextTs(),
      ...(typeof args.thread_ts === 'string' && args.thread_ts ? { thread_ts: args.thread_ts } : {}),
    };
    this.ephemerals.push(ephemeral);
    return { ok: true, message_ts: ephemeral.ts };
  }

  channelObject(channel: FakeChannel): Record<string, unknown> {
    return {
      id: channel.id, name: channel.name, name_normalized: channel.name, is_channel: !channel.is_private,
      is_group: channel.is_private, is_im: false, is_private: channel.is_private, is_archived: false,
      is_general: false, created: channel.created, creator: channel.creator,
      is_member: channel.members.includes(this.botUserId),
      topic: { value: '', creator: '', last_set: 0 }, purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  private createChannel(args: Args): ApiResult {
    const name = typeof args.name === 'string' ? args.name : '';
    if (name === '') return { ok: false, error: 'invalid_name_required' };
    if (name.length > 80) return { ok: false, error: 'invalid_name_maxlength' };
    if (!/^[a-z0-9_-]{1,80}$/.test(name)) return { ok: false, error: 'invalid_name_specials' };
    if (this.channels.some((c) => c.name === name)) return { ok: false, error: 'name_taken' };
    const channel = this.addChannel({
      id: `C${randomId(10)}`, name, is_private: flag(args.is_private), creator: this.botUserId, members: [this.botUserId],
    });
    return { ok: true, channel: this.channelObject(channel) };
  }

  private inviteToChannel(args: Args): ApiResult {
    const channel = this.channels.find((c) => c.id === args.channel);
    if (!channel || (channel.is_private && !channel.members.includes(this.botUserId))) return { ok: false, error: 'channel_not_found' };
    if (!channel.members.includes(this.botUserId)) return { ok: false, error: 'not_in_channel' };
    const users = String(args.users ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) return { ok: false, error: 'no_user' };
    if (users.includes(this.botUserId)) return { ok: false, error: 'cant_invite_self' };
    if (!users.every((u) => USER_ID.test(u))) return { ok: false, error: 'user_not_found' };
    const newcomers = users.filter((u) => !channel.members.includes(u));
    if (newcomers.length === 0) return { ok: false, error: 'already_in_channel' };
    channel.members.push(...newcomers);
    return { ok: true, channel: this.channelObject(channel) };
  }

  private joinChannel(args: Args): ApiResult {
    const channel = this.channels.find((c) => c.id === args.channel);
    if (!channel || (channel.is_private && !channel.members.includes(this.botUserId))) return { ok: false, error: 'channel_not_found' };
    if (channel.is_private) return { ok: false, error: 'method_not_supported_for_channel_type' };
    if (!channel.members.includes(this.botUserId)) channel.members.push(this.botUserId);
    return { ok: true, channel: this.channelObject(channel) };
  }
}
