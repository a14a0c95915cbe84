/**
 * The plain message model every feature returns. It knows nothing of Slack: the Slack
 * renderer (src/slack/render.ts) turns it into Block Kit, the console renderer
 * (src/console/render.ts) into text. Text fields use a small, portable markup:
 * *bold*, _italic_, `code`, <url|label> links and <@U…> / <#C…> mentions (the console
 * renderer turns them into plain text).
 */
export type Status = 'ok' | 'warn' | 'fail' | 'unknown' | 'info' | 'pending' | 'skipped';

export interface ConfirmDialog {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

export interface Button {
  label: string;
  /** Routed by the action registry; stable across restarts. */
  actionId: string;
  /** Small opaque payload, usually a record id. */
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
  url?: string;
}

export interface ChecklistItem {
  id: string;
  label: string;
  done: boolean;
  /** Who ticked it and when, shown beside it. */
  note?: string;
}

export type Part =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'status'; items: { status: Status; label: string; detail: string }[] }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: Button[] }
  | {
      type: 'checklist';
      /** Unique within the message; the click carries it back. */
      id: string;
      actionId: string;
      title?: string;
      items: ChecklistItem[];
      /** Asked before a tick counts, e.g. for work done elsewhere that changes production. */
      confirm?: ConfirmDialog & { danger?: boolean };
    }
  | { type: 'code'; text: string };

export interface Message {
  /** Plain-text summary: notifications, screen readers, and the fallback where blocks fail. */
  text: string;
  parts: Part[];
  /** 'ephemeral' is seen by the asker only; default 'channel'. */
  visibility?: 'channel' | 'ephemeral';
}

export const statusEmoji: Record<Status, string> = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  fail: ':red_circle:',
  unknown: ':white_circle:',
  info: ':information_source:',
  pending: ':hourglass_flowing_sand:',
  skipped: ':fast_forward:',
};

/** Shorthand for the many one-paragraph replies. */
export function note(text: string, visibility: Message['visibility'] = 'ephemeral'): Message {
  return { text, parts: [{ type: 'text', text }], visibility };
}

/**
 * Neutralises text that came from outside (SVP bodies, user input) so it cannot form
 * links, mentions (<!channel>) or markup in any renderer.
 */
export function untrusted(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›')).replace(/[*_`~]/g, (c) => `\u200B${c}`);
}
