/**
 * The one place that turns plain Messages into Block Kit, inside Slack's published
 * limits: long text is cut with an ellipsis, long lists are split over sections, and a
 * message never exceeds 50 blocks.
 */
import type { Button, ConfirmDialog, Message, Part } from '../core/message.js';
import { statusEmoji } from '../core/message.js';
import { redactSecrets } from '../secrets.js';

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  header: 150,
  buttonLabel: 75,
  buttonValue: 2000,
  actionsElements: 25,
  fields: 10,
  fieldText: 2000,
  contextText: 3000,
  checkboxOptions: 10,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 3000,
} as const;

export type Block = Record<string, unknown>;

export const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const plain = (text: string, max: number) => ({ type: 'plain_text', text: cut(text || ' ', max), emoji: true });
const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({ type: 'mrkdwn', text: cut(text || ' ', max) });

/** Splits lines into chunks that each fit one text object. */
function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines.map((l) => cut(l, max))) {
    if (current && current.length + line.length + 1 > max) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}

function button(b: Button, index: number): Block {
  return {
    type: 'button',
    text: plain(b.label, LIMITS.buttonLabel),
    // The suffix keeps action_ids unique within a block; the router reads the part before ':'.
    action_id: cut(`${b.actionId}:${index}`, 255),
    value: cut(b.value, LIMITS.buttonValue),
    ...(b.style ? { style: b.style } : {}),
    ...(b.url ? { url: b.url } : {}),
    ...(b.confirm ? { confirm: confirmDialog(b.confirm, b.style === 'danger') } : {}),
  };
}

function confirmDialog(c: ConfirmDialog, danger: boolean): Block {
  return {
    title: plain(c.title, LIMITS.confirmTitle),
    text: plain(c.text, LIMITS.confirmText),
    confirm: plain(c.confirm, LIMITS.confirmButton),
    deny: plain(c.deny, LIMITS.confirmButton),
    ...(danger ? { style: 'danger' } : {}),
  };
}

function renderPart(part: Part, index: number): Block[] {
  const id = `b${index}`;
  switch (part.type) {
    case 'header':
      return [{ type: 'header', block_id: id, text: plain(part.text, LIMITS.header) }];
    case 'text':
      return chunkLines(part.text.split('\n'), LIMITS.sectionText).map((text, i) => ({ type: 'section', block_id: `${id}.${i}`, text: mrkdwn(text) }));
    case 'code':
      return chunkLines(part.text.split('\n'), LIMITS.sectionText - 8).map((text, i) => ({ type: 'section', block_id: `${id}.${i}`, text: mrkdwn('```' + text + '```') }));
    case 'status':
      return chunkLines(
        part.items.map((item) => `${statusEmoji[item.status]} *${item.label}* — ${item.detail}`),
        LIMITS.sectionText,
      ).map((text, i) => ({ type: 'section', block_id: `${id}.${i}`, text: mrkdwn(text) }));
    case 'fields': {
      const blocks: Block[] = [];
      for (let i = 0; i < part.fields.length; i += LIMITS.fields) {
        blocks.push({
          type: 'section',
          block_id: `${id}.${i}`,
          fields: part.fields.slice(i, i + LIMITS.fields).map((f) => mrkdwn(`*${f.label}*\n${f.value}`, LIMITS.fieldText)),
        });
      }
      return blocks;
    }
    case 'context':
      return [{ type: 'context', block_id: id, elements: [mrkdwn(part.text, LIMITS.contextText)] }];
    case 'divider':
      return [{ type: 'divider', block_id: id }];
    case 'actions':
      return part.buttons.length ? [{ type: 'actions', block_id: id, elements: part.buttons.slice(0, LIMITS.actionsElements).map(button) }] : [];
    case 'checklist': {
      const blocks: Block[] = [];
      if (part.title) blocks.push({ type: 'section', block_id: `${part.id}.title`, text: mrkdwn(`*${part.title}*`) });
      for (let i = 0; i < part.items.length; i += LIMITS.checkboxOptions) {
        const options = part.items.slice(i, i + LIMITS.checkboxOptions).map((item) => ({
          text: mrkdwn(item.label, LIMITS.optionText),
          value: cut(item.id, LIMITS.optionValue),
          ...(item.note ? { description: mrkdwn(item.note, LIMITS.optionText) } : {}),
        }));
        const selected = options.filter((_, k) => part.items[i + k]!.done);
        blocks.push({
          type: 'actions',
          block_id: i === 0 ? part.id : `${part.id}.${i / LIMITS.checkboxOptions}`,
          elements: [{
            type: 'checkboxes',
            action_id: `${part.actionId}:${i}`,
            options,
            ...(selected.length ? { initial_options: selected } : {}),
            ...(part.confirm ? { confirm: confirmDialog(part.confirm, part.confirm.danger ?? false) } : {}),
          }],
        });
      }
      return blocks;
    }
  }
}

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function renderBlocks(message: Message): SlackMessage {
  let blocks = message.parts.flatMap((part, i) => renderPart(part, i));
  if (blocks.length > LIMITS.blocks) {
    const dropped = blocks.length - (LIMITS.blocks - 1);
    blocks = [...blocks.slice(0, LIMITS.blocks - 1), { type: 'context', block_id: 'truncated', elements: [mrkdwn(`…${dropped} more blocks not shown`)] }];
  }
  // The last gate before Slack: whatever a message quotes (an SVP error body, user text),
  // a secret leaves as [redacted].
  return JSON.parse(redactSecrets(JSON.stringify({ text: cut(message.text || ' ', LIMITS.fallbackText), blocks }))) as SlackMessage;
}
