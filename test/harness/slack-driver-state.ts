/**
 * What a Slack client knows about the interactive elements on screen: which
 * button was meant, and the `state.values` Slack attaches to block_actions and
 * view_submission payloads (current checkbox ticks, select choices, input text).
 */
import { isObject } from './block-kit-checks.js';
import type { Block } from './fake-slack-types.js';

/** state.values: block_id → action_id → element state, exactly as Slack sends it. */
export type StateValues = Record<string, Record<string, Record<string, unknown>>>;
/** Caller-friendly choices: block_id → action_id → value(s), or a Slack-shaped state object. */
export type Choices = Record<string, Record<string, unknown>>;

interface Placed {
  block: Block;
  element: Block;
}

/** Every element a user can interact with, with the block that holds it. */
export function interactiveElements(blocks: Block[]): Placed[] {
  const placed: Placed[] = [];
  for (const block of blocks) {
    if (block.type === 'actions') for (const element of block.elements ?? []) placed.push({ block, element });
    if (block.type === 'section' && block.accessory) placed.push({ block, element: block.accessory });
    if (block.type === 'input' && block.element) placed.push({ block, element: block.element });
  }
  return placed;
}

/** Finds a button by action_id, else by its visible label; throws listing what is there. */
export function findButton(blocks: Block[], actionIdOrLabel: string): Placed {
  const buttons = interactiveElements(blocks).filter((p) => p.element.type === 'button');
  const byId = buttons.find((p) => p.element.action_id === actionIdOrLabel);
  if (byId) return byId;
  const byLabel = buttons.filter((p) => p.element.text?.text === actionIdOrLabel);
  if (byLabel.length === 1) return byLabel[0] as Placed;
  const available = buttons.map((p) => `${p.element.action_id} ("${p.element.text?.text}")`).join(', ') || 'none';
  throw new Error(
    byLabel.length > 1
      ? `several buttons are labelled "${actionIdOrLabel}"; use an action_id (buttons: ${available})`
      : `no button "${actionIdOrLabel}" in the message (buttons: ${available})`,
  );
}

function allOptions(element: Block): Block[] {
  const grouped = (element.option_groups ?? []).flatMap((g: Block) => g.options ?? []);
  return [...(element.options ?? []), ...grouped];
}

function pickOptions(element: Block, values: unknown): Block[] {
  const wanted = Array.isArray(values) ? values : [values];
  const options = allOptions(element);
  return wanted.map((value) => {
    const option = options.find((o) => o.value === value);
    if (!option) throw new Error(`"${String(value)}" is not an option of ${element.action_id} (options: ${options.map((o) => o.value).join(', ')})`);
    return option;
  });
}

/** The state Slack reports for an element (undefined for stateless ones like buttons). */
export function elementState(element: Block, choice?: unknown): Record<string, unknown> | undefined {
  if (isObject(choice) && typeof choice.type === 'string') return choice; // already Slack-shaped
  const chosen = choice !== undefined;
  const type = element.type as string;
  switch (type) {
    case 'checkboxes':
    case 'multi_static_select':
      return { type, selected_options: chosen ? pickOptions(element, choice) : element.initial_options ?? [] };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: chosen ? pickOptions(element, choice)[0] : element.initial_option ?? null };
    case 'users_select':
      return { type, selected_user: chosen ? choice : element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: chosen ? choice : element.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: chosen ? choice : element.initial_conversation ?? null };
    case 'channels_select':
      return { type, selected_channel: chosen ? choice : element.initial_channel ?? null };
    case 'datepicker':
      return { type, selected_date: chosen ? choice : element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: chosen ? choice : element.initial_time ?? null };
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: chosen ? String(choice) : element.initial_value ?? null };
    default:
      return undefined;
  }
}

/** state.values for `blocks`, starting from initial values and applying `choices`. */
export function stateValues(blocks: Block[], choices: Choices = {}): StateValues {
  const values: StateValues = {};
  const used = new Set<string>();
  for (const { block, element } of interactiveElements(blocks)) {
    const choice = choices[block.block_id]?.[element.action_id];
    const state = elementState(element, choice);
    if (!state) continue;
    if (choice !== undefined) used.add(`${block.block_id}/${element.action_id}`);
    (values[block.block_id] ??= {})[element.action_id] = state;
  }
  for (const [blockId, byAction] of Object.entries(choices)) {
    for (const actionId of Object.keys(byAction)) {
      if (!used.has(`${blockId}/${actionId}`)) throw new Error(`no input ${blockId}/${actionId} on screen (inputs: ${Object.entries(values).flatMap(([b, a]) => Object.keys(a).map((x) => `${b}/${x}`)).join(', ') || 'none'})`);
    }
  }
  return values;
}

/** Slack's client refuses to submit a modal while a required input is empty. */
export function emptyRequiredInputs(blocks: Block[], values: StateValues): string[] {
  return blocks
    .filter((block) => block.type === 'input' && !block.optional && block.element)
    .filter((block) => {
      const state = values[block.block_id]?.[block.element.action_id] ?? {};
      const answer = Object.entries(state).find(([key]) => key !== 'type')?.[1];
      return answer === null || answer === undefined || answer === '' || (Array.isArray(answer) && answer.length === 0);
    })
    .map((block) => `${block.block_id} ("${block.label?.text}")`);
}
