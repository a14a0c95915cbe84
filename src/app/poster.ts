/**
 * The bot's own voice (scheduled posts, alerts, timers). Built before the surface exists,
 * so it forwards to whichever surface the mode binds: Slack's Web API or the console.
 * Until one is bound, posts are logged and dropped rather than crashing a job.
 */
import type { MessageRef, Poster } from './command.js';
import type { Message } from '../core/message.js';
import type { Logger } from '../log.js';

export class BoundPoster implements Poster {
  private target?: Poster;

  constructor(private readonly log: Logger) {}

  bind(target: Poster): void {
    this.target = target;
  }

  async post(message: Message, opts?: { channelId?: string; threadTs?: string }): Promise<MessageRef> {
    if (!this.target) {
      this.log.warn({ text: message.text.slice(0, 120) }, 'no surface bound yet; post dropped');
      return { channelId: opts?.channelId ?? '', ts: '' };
    }
    return this.target.post(message, opts);
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    if (this.target && ref.ts) await this.target.update(ref, message);
  }
}
