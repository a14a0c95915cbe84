/**
 * What a subcommand and a button handler are. Each file in commands/ default-exports one
 * defineCommand(...); the dispatcher does the rest (parsing, permission, confirmation,
 * exactly-once, rate limit, audit, errors), the same for Slack and the console.
 */
import type { z } from 'zod';
import type { Message } from '../core/message.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';

export type Effect = 'read' | 'mutate' | 'destructive';
export type Role = 'everyone' | 'operator' | 'admin';

export const roleFor: Record<Effect, Role> = { read: 'everyone', mutate: 'operator', destructive: 'admin' };

export interface Actor {
  userId: string;
  channelId: string;
  /** Set when the command or click came from inside a thread. */
  threadTs?: string;
}

export interface MessageRef {
  channelId: string;
  ts: string;
}

/** Where replies go. Slack and the console each implement it. */
export interface Surface {
  /** A new message in a channel (the actor's by default), optionally in a thread. */
  post(message: Message, opts?: { channelId?: string; threadTs?: string }): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  /** Seen by the actor only. */
  whisper(message: Message): Promise<void>;
}

/** Posts without a person asking: scheduled digests, alerts, timers. */
export type Poster = Pick<Surface, 'post' | 'update'>;

export interface Context {
  services: Services;
  actor: Actor;
  role: Role;
  surface: Surface;
  correlationId: string;
  log: Logger;
}

export interface CommandDef<A = unknown> {
  /** One or more words: 'health', 'cognee reset'. */
  name: string;
  aliases?: string[];
  /** Shown in help and in usage errors, without the leading /svp. */
  usage: string;
  summary: string;
  examples: string[];
  /** Parses the text after the name; its error message says what was expected. */
  args: z.ZodType<A, string>;
  effect: Effect;
  /** Who may run it; defaults from the effect. */
  permission?: Role;
  /**
   * Destructive commands only: what exactly will be changed, and on which service (the
   * context names its target), for the confirm dialog. Title ≤ 100 and text ≤ 300 characters.
   */
  danger?: (args: A, ctx: Context) => { title: string; text: string };
  /** The reply goes to the channel, or to the asker only (ephemeral, the default for errors). */
  visibility?: 'channel' | 'ephemeral';
  run(ctx: Context, args: A): Promise<Message | void>;
}

export function defineCommand<A>(def: CommandDef<A>): CommandDef<A> {
  return def;
}

export interface Click {
  /** The message that carried the button or checkbox, so the handler can update it. */
  message?: MessageRef;
  /** The button's value, or the checkbox values now selected. */
  value: string;
  selected?: string[];
  /** The checkbox group that was clicked. */
  blockId?: string;
}

/** A button or checkbox handler. action_id is `${id}` or `${id}:${anything}`. */
export interface ActionDef {
  id: string;
  /** Mutating clicks are claimed in the store first, so a replay never runs them twice. */
  effect: Effect;
  run(ctx: Context, click: Click): Promise<Message | void>;
}

export function defineAction(def: ActionDef): ActionDef {
  return def;
}
