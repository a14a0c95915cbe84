/**
 * Shapes of the state the fake Slack keeps, plus small helpers shared by the
 * fake's modules. Blocks are stored as plain JSON and typed loosely so tests
 * can drill into them (`msg.blocks[0].text.text`) without casts.
 */
import { randomBytes } from 'node:crypto';

export type Block = Record<string, any>;
export type Args = Record<string, unknown>;
/** A Web API response body: Slack always answers `{ ok, error? , ...}`. */
export type ApiResult = { ok: boolean; error?: string; [key: string]: unknown };

export interface MessageVersion {
  text: string;
  blocks: Block[];
  at: number;
}

/** A channel message as Slack would show it now. */
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: Block[];
  attachments?: unknown[];
  metadata?: unknown;
  user: string;
  edited?: boolean;
  /** Earlier versions, oldest first, replaced by chat.update or replace_original. */
  history: MessageVersion[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: Block[];
  /** Slack gives ephemerals a message_ts too; block_actions on them carry it. */
  ts: string;
  thread_ts?: string;
}

export interface FakeView {
  id: string;
  type: 'modal' | 'home';
  /** The user the modal was opened for / whose home tab this is. */
  user: string;
  hash: string;
  blocks: Block[];
  title?: Block;
  submit?: Block;
  close?: Block;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  closed: boolean;
  /** Earlier definitions (as sent by the app) replaced by views.update / views.publish. */
  history: Block[];
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  created: number;
  creator: string;
  members: string[];
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  email?: string;
  is_bot: boolean;
}

export interface FakeCall {
  method: string;
  args: Args;
  ok: boolean;
  error?: string;
  at: number;
}

export interface FakeResponse {
  url: string;
  body: unknown;
  at: number;
  /** HTTP status the fake answered with (200, or 400/404 for rejected posts). */
  status: number;
  error?: string;
  /** Set when this was a slash command's ack body rather than a POST to the url. */
  ack?: true;
}

export const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Slack-style short random id (upper-case alphanumerics). */
export function randomId(length = 9): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Form-encoded booleans arrive as 'true'/'1'. */
export function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/**
 * Slack fills in a block_id for every block and an action_id for every
 * interactive element the app left without one, so a handler matching on an
 * id the app never set will not match here either.
 */
export function withSlackIds(blocks: Block[]): Block[] {
  const copy = structuredClone(blocks);
  for (const block of copy) {
    block.block_id ??= randomId(5);
    const elements: Block[] = [
      ...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory && block.accessory.type !== 'image' ? [block.accessory] : []),
      ...(block.type === 'input' && block.element ? [block.element] : []),
    ];
    for (const element of elements) element.action_id ??= randomId(5);
  }
  return copy;
}
