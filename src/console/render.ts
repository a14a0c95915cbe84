/**
 * Plain Messages as terminal text. Buttons and checklist items become numbered choices;
 * the console keeps the list so a typed number clicks the right one.
 */
import type { Button, ConfirmDialog, Message, Part, Status } from '../core/message.js';
import type { MessageRef } from '../app/command.js';
import { redactSecrets } from '../secrets.js';

export interface Choice {
  label: string;
  button?: Button;
  /** For a checklist item: the checklist and the selection after toggling it. */
  toggle?: { partId: string; actionId: string; selected: string[]; confirm?: ConfirmDialog };
  /** The message the choice was shown in. */
  ref?: MessageRef;
}

/** The few emoji the bot uses, as terminal text. */
const EMOJI: Record<string, string> = { warning: '(!)', red_circle: '[FAIL]', large_yellow_circle: '[WARN]', large_green_circle: '[ OK ]', white_circle: '[ ?? ]', information_source: '(i)', hourglass_flowing_sand: '(…)', fast_forward: '(skip)', lock: '(locked)', rotating_light: '(!!)', white_check_mark: '(done)' };

const mark: Record<Status, string> = { ok: '[ OK ]', warn: '[WARN]', fail: '[FAIL]', unknown: '[ ?? ]', info: '[INFO]', pending: '[ .. ]', skipped: '[SKIP]' };

/** Slack-style markup to readable text: <url|label> → label (url), <@U1> → @U1, emoji kept. */
export function plainText(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(\|[^>]*)?>/g, '#$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '@$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1$2')
    .replace(/:([a-z_]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/\u200B/g, '');
}

function renderPart(part: Part, choices: Choice[]): string[] {
  switch (part.type) {
    case 'header':
      return ['', `== ${plainText(part.text)} ==`];
    case 'text':
      return part.text.split('\n').map(plainText);
    case 'code':
      return part.text.split('\n').map((l) => `    ${l}`);
    case 'status':
      return part.items.map((i) => `${mark[i.status]} ${i.label}: ${plainText(i.detail)}`);
    case 'fields':
      return part.fields.map((f) => `${f.label}: ${plainText(f.value)}`);
    case 'context':
      return [`  (${plainText(part.text)})`];
    case 'divider':
      return ['----'];
    case 'actions':
      return part.buttons.map((b) => {
        choices.push({ label: b.label, button: b });
        return `  [${choices.length}] ${b.label}${b.style === 'danger' ? '  (!)' : ''}${b.url ? ` → ${b.url}` : ''}`;
      });
    case 'checklist': {
      const lines = part.title ? [plainText(part.title)] : [];
      const selected = part.items.filter((i) => i.done).map((i) => i.id);
      for (const item of part.items) {
        const next = item.done ? selected.filter((id) => id !== item.id) : [...selected, item.id];
        choices.push({ label: `${item.done ? 'untick' : 'tick'} ${item.label}`, toggle: { partId: part.id, actionId: part.actionId, selected: next, ...(part.confirm ? { confirm: part.confirm } : {}) } });
        lines.push(`  [${choices.length}] [${item.done ? 'x' : ' '}] ${plainText(item.label)}${item.note ? `  — ${plainText(item.note)}` : ''}`);
      }
      return lines;
    }
  }
}

export function renderText(message: Message, choices: Choice[] = []): string {
  const lines = message.parts.flatMap((p) => renderPart(p, choices));
  if (lines.length === 0) lines.push(plainText(message.text));
  return redactSecrets(lines.join('\n'));
}
