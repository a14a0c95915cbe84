/** The Slack implementation of Surface: Web API for messages, response_url for replies. */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MessageRef, Surface } from '../app/command.js';
import type { Message } from '../core/message.js';
import { renderBlocks } from './render.js';
import { inOrder } from './in-order.js';
import type { Logger } from '../log.js';

export class SlackSurface implements Surface {
  constructor(
    private readonly client: WebClient,
    private readonly where: { channelId: string; userId: string; threadTs?: string },
    private readonly respond: RespondFn | undefined,
    private readonly log: Logger,
  ) {}

  async post(message: Message, opts: { channelId?: string; threadTs?: string } = {}): Promise<MessageRef> {
    const channel = opts.channelId ?? this.where.channelId;
    const threadTs = opts.threadTs ?? (opts.channelId ? undefined : this.where.threadTs);
    const result = await inOrder(`post:${channel}`, () => this.client.chat.postMessage({ channel, ...renderBlocks(message), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }));
    return { channelId: String(result.channel ?? channel), ts: String(result.ts) };
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    await inOrder(`update:${ref.channelId}:${ref.ts}`, () => this.client.chat.update({ channel: ref.channelId, ts: ref.ts, ...renderBlocks(message) }));
  }

  async whisper(message: Message): Promise<void> {
    await this.reply({ ...message, visibility: 'ephemeral' });
  }

  /**
   * Sends a command's reply through response_url; when that URL is expired or used up,
   * falls back to the Web API so the answer is never lost.
   */
  async reply(message: Message): Promise<void> {
    const rendered = renderBlocks(message);
    const ephemeral = message.visibility !== 'channel';
    if (this.respond) {
      try {
        await this.respond({ ...rendered, response_type: ephemeral ? 'ephemeral' : 'in_channel', replace_original: false });
        return;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'response_url failed; falling back to the Web API');
      }
    }
    const { channelId, userId, threadTs } = this.where;
    const thread = threadTs ? { thread_ts: threadTs } : {};
    if (ephemeral) await this.client.chat.postEphemeral({ channel: channelId, user: userId, ...rendered, ...thread });
    else await inOrder(`post:${channelId}`, () => this.client.chat.postMessage({ channel: channelId, ...rendered, ...thread, unfurl_links: false }));
  }
}
