/**
 * Block Kit validation with Slack's published limits, so a payload that passes
 * here would also pass in Slack. Used by the fake Slack server to reject
 * requests exactly where Slack would (`invalid_blocks`), and usable directly
 * in unit tests of message builders.
 *
 * Only the block types this bot is allowed to use are accepted; anything else
 * is an error even where Slack itself would know the type.
 */
import {
  type JsonObject,
  Problems,
  checkArray,
  checkBoolean,
  checkEnum,
  checkId,
  checkKeys,
  checkString,
  checkText,
  checkTextObject,
  isObject,
  requireObject,
} from './block-kit-checks.js';
import { checkElement, checkImage } from './block-kit-elements.js';

export type Surface = 'message' | 'home' | 'modal';

export const MAX_BLOCKS: Record<Surface, number> = { message: 50, home: 100, modal: 100 };
/** Top-level `text` of a message; Slack answers `msg_too_long` beyond this. */
export const MAX_MESSAGE_TEXT = 40_000;

/** Returns Slack-style error strings for the blocks array; empty means valid. */
export function validateBlocks(blocks: unknown, surface: Surface = 'message'): string[] {
  const p = new Problems();
  checkBlocks(p, blocks, '/blocks', surface);
  return p.list;
}

/** A whole message: its blocks plus Slack's rules for top-level `text` (≤ 40000 chars; text or blocks required). */
export function validateMessage(message: { text?: unknown; blocks?: unknown }): string[] {
  const errors = message.blocks === undefined ? [] : validateBlocks(message.blocks, 'message');
  const { text } = message;
  if (typeof text === 'string' && text.length > MAX_MESSAGE_TEXT) errors.push(`msg_too_long: text is ${text.length} characters, more than ${MAX_MESSAGE_TEXT}`);
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  if (!(typeof text === 'string' && text !== '') && !hasBlocks) errors.push('no_text: a message needs text or blocks');
  return errors;
}

/**
 * Validates a view object as passed to views.open/update/publish (or in a
 * view_submission `response_action`). `expectedType` pins modal vs home.
 */
export function validateView(view: unknown, expectedType?: 'modal' | 'home'): string[] {
  const p = new Problems();
  const path = '/view';
  if (!requireObject(p, view, path)) return p.list;
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    p.add(`${path}/type`, 'must be one of modal, home');
    return p.list;
  }
  if (expectedType && type !== expectedType) p.add(`${path}/type`, `must be ${expectedType}`);
  if (type === 'modal') {
    checkKeys(p, view, path, [
      'type', 'title', 'blocks', 'close', 'submit', 'private_metadata', 'callback_id',
      'clear_on_close', 'notify_on_close', 'external_id', 'submit_disabled',
    ]);
    checkText(p, view, 'title', path, { required: true, max: 24, plainOnly: true });
    checkText(p, view, 'close', path, { max: 24, plainOnly: true });
    checkText(p, view, 'submit', path, { max: 24, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    // Slack refuses a modal with inputs but no way to submit them.
    if (hasInput && view.submit === undefined) p.add(path, 'missing required field: submit');
    checkBoolean(p, view, 'clear_on_close', path);
    checkBoolean(p, view, 'notify_on_close', path);
    checkBoolean(p, view, 'submit_disabled', path);
  } else {
    checkKeys(p, view, path, ['type', 'blocks', 'private_metadata', 'callback_id', 'external_id']);
  }
  checkString(p, view, 'private_metadata', path, { max: 3000 });
  checkId(p, view, 'callback_id', path);
  checkId(p, view, 'external_id', path);
  if (view.blocks === undefined) p.add(path, 'missing required field: blocks');
  else checkBlocks(p, view.blocks, `${path}/blocks`, type);
  return p.list;
}

function checkBlocks(p: Problems, blocks: unknown, path: string, surface: Surface): void {
  if (!Array.isArray(blocks)) {
    p.add(path, 'must provide an array');
    return;
  }
  const max = MAX_BLOCKS[surface];
  if (blocks.length > max) p.add(path, `no more than ${max} items allowed`);
  const seenBlockIds = new Set<string>();
  blocks.forEach((block, i) => checkBlock(p, block, `${path}/${i}`, seenBlockIds));
}

type BlockChecker = (p: Problems, block: JsonObject, path: string) => void;

const BLOCK_CHECKERS: Record<string, BlockChecker> = {
  section: checkSection,
  header: (p, block, path) => {
    checkKeys(p, block, path, ['type', 'block_id', 'text']);
    checkText(p, block, 'text', path, { required: true, max: 150, plainOnly: true });
  },
  divider: (p, block, path) => checkKeys(p, block, path, ['type', 'block_id']),
  context: checkContext,
  actions: (p, block, path) => {
    checkKeys(p, block, path, ['type', 'block_id', 'elements']);
    const elements = checkArray(p, block, 'elements', path, { required: true, min: 1, max: 25 }) ?? [];
    const actionIds = elements.map((element, i) => checkElement(p, element, `${path}/elements/${i}`, 'actions'));
    checkUniqueActionIds(p, actionIds, path);
  },
  input: (p, block, path) => {
    checkKeys(p, block, path, ['type', 'block_id', 'label', 'element', 'hint', 'optional', 'dispatch_action']);
    checkText(p, block, 'label', path, { required: true, max: 2000, plainOnly: true });
    checkText(p, block, 'hint', path, { max: 2000, plainOnly: true });
    if (block.element === undefined) p.add(path, 'missing required field: element');
    else checkElement(p, block.element, `${path}/element`, 'input');
    checkBoolean(p, block, 'optional', path);
    checkBoolean(p, block, 'dispatch_action', path);
  },
  rich_text: checkRichText,
  image: (p, block, path) => {
    checkImage(p, block, path, ['block_id', 'title']);
    checkText(p, block, 'title', path, { max: 2000, plainOnly: true });
  },
};

function checkBlock(p: Problems, block: unknown, path: string, seenBlockIds: Set<string>): void {
  if (!requireObject(p, block, path)) return;
  const checker = typeof block.type === 'string' ? BLOCK_CHECKERS[block.type] : undefined;
  if (!checker) {
    p.add(`${path}/type`, `unsupported block type: ${String(block.type)}`);
    return;
  }
  const blockId = checkId(p, block, 'block_id', path);
  if (blockId !== undefined) {
    if (seenBlockIds.has(blockId)) p.add(`${path}/block_id`, `duplicate block_id: ${blockId}`);
    seenBlockIds.add(blockId);
  }
  checker(p, block, path);
}

function checkSection(p: Problems, block: JsonObject, path: string): void {
  checkKeys(p, block, path, ['type', 'block_id', 'text', 'fields', 'accessory', 'expand']);
  if (block.text === undefined && block.fields === undefined) p.add(path, 'must provide either text or fields');
  checkText(p, block, 'text', path, { max: 3000 });
  const fields = checkArray(p, block, 'fields', path, { min: 1, max: 10 }) ?? [];
  fields.forEach((field, i) => checkTextObject(p, field, `${path}/fields/${i}`, { max: 2000 }));
  if (block.accessory !== undefined) checkElement(p, block.accessory, `${path}/accessory`, 'accessory');
  checkBoolean(p, block, 'expand', path);
}

function checkContext(p: Problems, block: JsonObject, path: string): void {
  checkKeys(p, block, path, ['type', 'block_id', 'elements']);
  const elements = checkArray(p, block, 'elements', path, { required: true, min: 1, max: 10 }) ?? [];
  elements.forEach((element, i) => {
    const elementPath = `${path}/elements/${i}`;
    if (isObject(element) && element.type === 'image') checkImage(p, element, elementPath);
    else checkTextObject(p, element, elementPath, { max: 3000 });
  });
}

const RICH_TEXT_CONTAINERS = ['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote'];
const RICH_TEXT_ELEMENTS = ['text', 'link', 'emoji', 'user', 'channel', 'usergroup', 'broadcast', 'date', 'team', 'color'];

/** Structural checks only: containers hold elements of known types. */
function checkRichText(p: Problems, block: JsonObject, path: string): void {
  checkKeys(p, block, path, ['type', 'block_id', 'elements']);
  const containers = checkArray(p, block, 'elements', path, { required: true }) ?? [];
  containers.forEach((container, i) => {
    const containerPath = `${path}/elements/${i}`;
    if (!requireObject(p, container, containerPath)) return;
    if (!RICH_TEXT_CONTAINERS.includes(container.type as string)) {
      p.add(`${containerPath}/type`, `unsupported rich text element: ${String(container.type)}`);
      return;
    }
    if (container.type === 'rich_text_list') checkEnum(p, container, 'style', containerPath, ['bullet', 'ordered']);
    const children = checkArray(p, container, 'elements', containerPath, { required: true }) ?? [];
    children.forEach((child, j) => {
      const childPath = `${containerPath}/elements/${j}`;
      if (!requireObject(p, child, childPath)) return;
      const allowed = container.type === 'rich_text_list' ? ['rich_text_section'] : RICH_TEXT_ELEMENTS;
      if (!allowed.includes(child.type as string)) p.add(`${childPath}/type`, `unsupported rich text element: ${String(child.type)}`);
      if (child.type === 'text') checkString(p, child, 'text', childPath, { required: true, min: 1 });
    });
  });
}

function checkUniqueActionIds(p: Problems, actionIds: (string | undefined)[], path: string): void {
  const seen = new Set<string>();
  actionIds.forEach((id, i) => {
    if (id === undefined) return;
    if (seen.has(id)) p.add(`${path}/elements/${i}/action_id`, `duplicate action_id within block: ${id}`);
    seen.add(id);
  });
}
