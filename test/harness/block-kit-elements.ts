/**
 * Validation of Block Kit interactive elements (buttons, checkboxes, menus,
 * inputs) and the composition objects they use (options, confirm dialogs).
 * Limits are Slack's published ones; see docs.slack.dev/reference/block-kit.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  type JsonObject,
  Problems,
  checkArray,
  checkBoolean,
  checkEnum,
  checkId,
  checkInteger,
  checkKeys,
  checkString,
  checkText,
  isObject,
  requireObject,
} from './block-kit-checks.js';

/** Where an element sits decides which element types Slack allows there. */
export type ElementPlace = 'actions' | 'accessory' | 'input';

const SELECTS = ['static_select', 'users_select', 'conversations_select', 'channels_select', 'external_select'];
const MULTI_SELECTS = SELECTS.map((type) => `multi_${type}`);
const SHARED = ['checkboxes', 'datepicker', 'radio_buttons', 'timepicker', ...SELECTS, ...MULTI_SELECTS];

const ALLOWED_ELEMENTS: Record<ElementPlace, readonly string[]> = {
  actions: ['button', 'overflow', 'datetimepicker', 'workflow_button', 'rich_text_input', ...SHARED],
  accessory: ['button', 'overflow', 'image', 'workflow_button', ...SHARED],
  input: [
    'plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'datetimepicker',
    'file_input', 'rich_text_input', ...SHARED,
  ],
};

const STYLES = ['primary', 'danger'];

/** Validates one element; returns its action_id so the caller can check uniqueness within the block. */
export function checkElement(p: Problems, element: unknown, path: string, place: ElementPlace): string | undefined {
  if (!requireObject(p, element, path)) return undefined;
  const type = element.type;
  if (typeof type !== 'string' || !ALLOWED_ELEMENTS[place].includes(type)) {
    p.add(`${path}/type`, `unsupported element type in ${place === 'accessory' ? 'section accessory' : `${place} block`}: ${String(type)}`);
    return undefined;
  }
  switch (type) {
    case 'button': checkButton(p, element, path); break;
    case 'checkboxes': checkCheckboxes(p, element, path); break;
    case 'static_select': checkStaticSelect(p, element, path); break;
    case 'users_select': checkUsersSelect(p, element, path); break;
    case 'plain_text_input': checkPlainTextInput(p, element, path); break;
    case 'overflow': checkOverflow(p, element, path); break;
    case 'image': checkImage(p, element, path); return undefined;
    default: checkOtherElement(p, element, path);
  }
  return checkId(p, element, 'action_id', path);
}

function checkButton(p: Problems, button: JsonObject, path: string): void {
  checkKeys(p, button, path, ['type', 'text', 'action_id', 'url', 'value', 'style', 'confirm', 'accessibility_label']);
  checkText(p, button, 'text', path, { required: true, max: 75, plainOnly: true });
  checkString(p, button, 'value', path, { max: 2000 });
  checkString(p, button, 'url', path, { min: 1, max: 3000 });
  checkString(p, button, 'accessibility_label', path, { min: 1, max: 75 });
  checkEnum(p, button, 'style', path, STYLES);
  checkConfirm(p, button, path);
}

function checkCheckboxes(p: Problems, checkboxes: JsonObject, path: string): void {
  checkKeys(p, checkboxes, path, ['type', 'action_id', 'options', 'initial_options', 'confirm', 'focus_on_load']);
  const options = checkArray(p, checkboxes, 'options', path, { required: true, min: 1, max: 10 }) ?? [];
  options.forEach((option, i) => checkOption(p, option, `${path}/options/${i}`, { mrkdwn: true }));
  const initial = checkArray(p, checkboxes, 'initial_options', path, { max: 10 }) ?? [];
  initial.forEach((option, i) => checkChosenOption(p, option, options, `${path}/initial_options/${i}`));
  checkConfirm(p, checkboxes, path);
  checkBoolean(p, checkboxes, 'focus_on_load', path);
}

function checkStaticSelect(p: Problems, select: JsonObject, path: string): void {
  checkKeys(p, select, path, ['type', 'action_id', 'placeholder', 'options', 'option_groups', 'initial_option', 'confirm', 'focus_on_load']);
  checkPlaceholder(p, select, path);
  const hasOptions = select.options !== undefined;
  if (hasOptions === (select.option_groups !== undefined)) p.add(path, 'must provide exactly one of options or option_groups');
  const allOptions: unknown[] = [];
  const options = checkArray(p, select, 'options', path, { min: 1, max: 100 }) ?? [];
  options.forEach((option, i) => checkOption(p, option, `${path}/options/${i}`, {}));
  allOptions.push(...options);
  const groups = checkArray(p, select, 'option_groups', path, { min: 1, max: 100 }) ?? [];
  groups.forEach((group, g) => {
    const groupPath = `${path}/option_groups/${g}`;
    if (!requireObject(p, group, groupPath)) return;
    checkKeys(p, group, groupPath, ['label', 'options']);
    checkText(p, group, 'label', groupPath, { required: true, max: 75, plainOnly: true });
    const groupOptions = checkArray(p, group, 'options', groupPath, { required: true, min: 1, max: 100 }) ?? [];
    groupOptions.forEach((option, i) => checkOption(p, option, `${groupPath}/options/${i}`, {}));
    allOptions.push(...groupOptions);
  });
  if (select.initial_option !== undefined) checkChosenOption(p, select.initial_option, allOptions, `${path}/initial_option`);
  checkConfirm(p, select, path);
  checkBoolean(p, select, 'focus_on_load', path);
}

function checkUsersSelect(p: Problems, select: JsonObject, path: string): void {
  checkKeys(p, select, path, ['type', 'action_id', 'placeholder', 'initial_user', 'confirm', 'focus_on_load']);
  checkPlaceholder(p, select, path);
  checkString(p, select, 'initial_user', path, { min: 1 });
  checkConfirm(p, select, path);
  checkBoolean(p, select, 'focus_on_load', path);
}

function checkPlainTextInput(p: Problems, input: JsonObject, path: string): void {
  checkKeys(p, input, path, [
    'type', 'action_id', 'placeholder', 'initial_value', 'multiline', 'min_length', 'max_length',
    'dispatch_action_config', 'focus_on_load',
  ]);
  checkPlaceholder(p, input, path);
  const min = checkInteger(p, input, 'min_length', path, 0, 3000);
  const max = checkInteger(p, input, 'max_length', path, 1, 3000);
  if (min !== undefined && max !== undefined && min > max) p.add(`${path}/min_length`, 'must not be greater than max_length');
  checkString(p, input, 'initial_value', path, { max: max ?? 3000 });
  checkBoolean(p, input, 'multiline', path);
  checkBoolean(p, input, 'focus_on_load', path);
}

function checkOverflow(p: Problems, overflow: JsonObject, path: string): void {
  checkKeys(p, overflow, path, ['type', 'action_id', 'options', 'confirm']);
  const options = checkArray(p, overflow, 'options', path, { required: true, min: 1, max: 5 }) ?? [];
  options.forEach((option, i) => checkOption(p, option, `${path}/options/${i}`, { url: true }));
  checkConfirm(p, overflow, path);
}

export function checkImage(p: Problems, image: JsonObject, path: string, extraKeys: string[] = []): void {
  checkKeys(p, image, path, ['type', 'image_url', 'slack_file', 'alt_text', ...extraKeys]);
  if ((image.image_url === undefined) === (image.slack_file === undefined)) p.add(path, 'must provide exactly one of image_url or slack_file');
  checkString(p, image, 'image_url', path, { min: 1, max: 3000 });
  if (image.slack_file !== undefined) requireObject(p, image.slack_file, `${path}/slack_file`);
  checkString(p, image, 'alt_text', path, { required: true, min: 1, max: 2000 });
}

/** Element types this bot does not use get only the checks every element shares. */
function checkOtherElement(p: Problems, element: JsonObject, path: string): void {
  checkPlaceholder(p, element, path);
  checkConfirm(p, element, path);
}

function checkPlaceholder(p: Problems, element: JsonObject, path: string): void {
  checkText(p, element, 'placeholder', path, { max: 150, plainOnly: true });
}

function checkConfirm(p: Problems, element: JsonObject, path: string): void {
  const confirm = element.confirm;
  if (confirm === undefined) return;
  const confirmPath = `${path}/confirm`;
  if (!requireObject(p, confirm, confirmPath)) return;
  checkKeys(p, confirm, confirmPath, ['title', 'text', 'confirm', 'deny', 'style']);
  checkText(p, confirm, 'title', confirmPath, { required: true, max: 100, plainOnly: true });
  // The confirm body is the one place mrkdwn is allowed (@slack/types: PlainTextElement | MrkdwnElement).
  checkText(p, confirm, 'text', confirmPath, { required: true, max: 300 });
  checkText(p, confirm, 'confirm', confirmPath, { required: true, max: 30, plainOnly: true });
  checkText(p, confirm, 'deny', confirmPath, { required: true, max: 30, plainOnly: true });
  checkEnum(p, confirm, 'style', confirmPath, STYLES);
}

interface OptionRule {
  mrkdwn?: boolean; // checkboxes and radio buttons accept mrkdwn option text
  url?: boolean; // only overflow menu options may carry a url
}

function checkOption(p: Problems, option: unknown, path: string, rule: OptionRule): void {
  if (!requireObject(p, option, path)) return;
  checkKeys(p, option, path, rule.url ? ['text', 'value', 'description', 'url'] : ['text', 'value', 'description']);
  checkText(p, option, 'text', path, { required: true, max: 75, plainOnly: !rule.mrkdwn });
  checkString(p, option, 'value', path, { required: true, min: 1, max: 150 });
  checkText(p, option, 'description', path, { max: 75, plainOnly: !rule.mrkdwn });
  checkString(p, option, 'url', path, { min: 1, max: 3000 });
}

/** initial_option(s) must be exactly (deep-equal) one of the element's options. */
function checkChosenOption(p: Problems, chosen: unknown, options: unknown[], path: string): void {
  if (!isObject(chosen) || !options.some((option) => isDeepStrictEqual(option, chosen))) {
    p.add(path, 'must match one of the provided options');
  }
}
