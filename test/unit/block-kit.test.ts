import { describe, expect, it } from 'vitest';
import { validateBlocks, validateMessage, validateView } from '../harness/block-kit.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const chars = (n: number) => 'x'.repeat(n);
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Go'), action_id: 'go', ...extra });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const section = (extra: Record<string, unknown> = {}) => ({ type: 'section', text: mrkdwn('hi'), ...extra });
const option = (value: string, text = value) => ({ text: plain(text), value });
const confirm = (extra: Record<string, unknown> = {}) => ({ title: plain('Sure?'), text: mrkdwn('Really'), confirm: plain('Yes'), deny: plain('No'), ...extra });
const checkboxes = (extra: Record<string, unknown> = {}) => ({ type: 'checkboxes', action_id: 'pick', options: [option('a'), option('b')], ...extra });
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Run'), blocks: [section()], ...extra });

/** Asserts the blocks are rejected with an error mentioning `fragment`. */
function rejects(blocks: unknown, fragment: string, surface?: 'message' | 'home' | 'modal') {
  const errors = validateBlocks(blocks, surface);
  expect(errors.join('\n')).toContain(fragment);
}

describe('validateBlocks', () => {
  it('accepts a rich message using every supported block', () => {
    const blocks = [
      { type: 'header', text: plain(chars(150)) },
      section({ block_id: 'summary', fields: [mrkdwn('*Env*'), plain('prod')], accessory: button({ url: 'https://example.com' }) }),
      { type: 'context', elements: [mrkdwn('by <@U1>'), { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a' }] },
      { type: 'divider' },
      actions(
        button({ action_id: 'approve', style: 'primary', value: 'run-1', confirm: confirm({ style: 'danger' }) }),
        button({ action_id: 'reject', style: 'danger' }),
        { type: 'static_select', action_id: 'env', placeholder: plain('Env'), options: [option('prod')], initial_option: option('prod') },
        { type: 'users_select', action_id: 'who', initial_user: 'U1' },
        { type: 'overflow', action_id: 'more', options: [{ ...option('docs'), url: 'https://example.com' }] },
      ),
      section({ block_id: 'steps', accessory: checkboxes({ options: [{ text: mrkdwn('*a*'), value: 'a', description: mrkdwn('first') }], initial_options: [{ text: mrkdwn('*a*'), value: 'a', description: mrkdwn('first') }] }) }),
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'log' }, { type: 'user', user_id: 'U1' }] }] },
      { type: 'image', image_url: 'https://example.com/b.png', alt_text: 'chart', title: plain('Chart') },
      { type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'reason', min_length: 1, max_length: 200 } },
    ];
    expect(validateBlocks(blocks)).toEqual([]);
  });

  it('limits the number of blocks per surface', () => {
    const divider = { type: 'divider' };
    expect(validateBlocks(Array(50).fill(divider))).toEqual([]);
    rejects(Array(51).fill(divider), 'no more than 50 items allowed [json-pointer:/blocks]');
    expect(validateBlocks(Array(100).fill(divider), 'home')).toEqual([]);
    rejects(Array(101).fill(divider), 'no more than 100 items allowed', 'modal');
    rejects({ type: 'divider' }, 'must provide an array');
  });

  it('rejects unknown block types and unknown properties', () => {
    rejects([{ type: 'markdown', text: 'hi' }], 'unsupported block type: markdown [json-pointer:/blocks/0/type]');
    rejects([{ type: 'divider', text: plain('x') }], 'invalid additional property: text');
    rejects([actions(button({ acton_id: 'typo' }))], 'invalid additional property: acton_id');
  });

  it('checks text objects', () => {
    rejects([{ type: 'section', text: { type: 'markdown', text: 'x' } }], 'must be plain_text or mrkdwn');
    rejects([{ type: 'section', text: mrkdwn('') }], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]');
    rejects([{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }], 'invalid additional property: emoji');
    expect(validateBlocks([section({ text: mrkdwn(chars(3000)) })])).toEqual([]);
    rejects([section({ text: mrkdwn(chars(3001)) })], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]');
    rejects([{ type: 'section' }], 'must provide either text or fields');
  });

  it('checks header and section fields', () => {
    rejects([{ type: 'header', text: plain(chars(151)) }], 'must be less than 151 characters');
    rejects([{ type: 'header', text: mrkdwn('x') }], 'must be plain_text [json-pointer:/blocks/0/text/type]');
    rejects([section({ fields: Array(11).fill(mrkdwn('f')) })], 'no more than 10 items allowed [json-pointer:/blocks/0/fields]');
    rejects([section({ fields: [mrkdwn(chars(2001))] })], 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]');
  });

  it('limits context and actions elements', () => {
    rejects([{ type: 'context', elements: Array(11).fill(mrkdwn('c')) }], 'no more than 10 items allowed');
    const many = Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` }));
    rejects([actions(...many)], 'no more than 25 items allowed');
    rejects([actions()], 'must provide at least 1 items');
    rejects([actions({ type: 'plain_text_input', action_id: 'x' })], 'unsupported element type in actions block: plain_text_input');
  });

  it('checks buttons', () => {
    rejects([actions(button({ text: plain(chars(76)) }))], 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]');
    rejects([actions(button({ text: mrkdwn('Go') }))], 'must be plain_text');
    rejects([actions(button({ action_id: chars(256) }))], 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]');
    rejects([actions(button({ value: chars(2001) }))], 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]');
    rejects([actions(button({ url: `https://x/${chars(3000)}` }))], 'must be less than 3001 characters');
    rejects([actions(button({ style: 'secondary' }))], 'must be one of primary, danger');
  });

  it('requires unique block_ids per message and unique action_ids per block', () => {
    rejects([{ type: 'divider', block_id: chars(256) }], 'must be less than 256 characters [json-pointer:/blocks/0/block_id]');
    rejects([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }], 'duplicate block_id: a [json-pointer:/blocks/1/block_id]');
    rejects([actions(button(), button())], 'duplicate action_id within block: go [json-pointer:/blocks/0/elements/1/action_id]');
    expect(validateBlocks([actions(button()), actions(button())])).toEqual([]);
  });

  it('checks confirm dialogs', () => {
    const withConfirm = (c: unknown) => [actions(button({ confirm: c }))];
    rejects(withConfirm(confirm({ title: plain(chars(101)) })), 'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]');
    rejects(withConfirm(confirm({ text: plain(chars(301)) })), 'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]');
    rejects(withConfirm(confirm({ confirm: plain(chars(31)) })), 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/confirm/text]');
    rejects(withConfirm(confirm({ deny: plain(chars(31)) })), 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/deny/text]');
    rejects(withConfirm(confirm({ title: mrkdwn('x') })), 'must be plain_text');
    rejects(withConfirm({ title: plain('t'), text: plain('x') }), 'missing required field: confirm');
  });

  it('checks checkboxes', () => {
    const inSection = (c: unknown) => [section({ accessory: c })];
    rejects(inSection(checkboxes({ options: [] })), 'must provide at least 1 items');
    rejects(inSection(checkboxes({ options: Array.from({ length: 11 }, (_, i) => option(`o${i}`)) })), 'no more than 10 items allowed');
    rejects(inSection(checkboxes({ options: [option('a', chars(76))] })), 'must be less than 76 characters [json-pointer:/blocks/0/accessory/options/0/text/text]');
    rejects(inSection(checkboxes({ options: [option(chars(151))] })), 'must be less than 151 characters [json-pointer:/blocks/0/accessory/options/0/value]');
    rejects(inSection(checkboxes({ options: [{ ...option('a'), description: plain(chars(76)) }] })), 'must be less than 76 characters');
    rejects(inSection(checkboxes({ initial_options: [option('c')] })), 'must match one of the provided options [json-pointer:/blocks/0/accessory/initial_options/0]');
    // Deep-equal: same value with different text is not the same option.
    rejects(inSection(checkboxes({ initial_options: [option('a', 'A!')] })), 'must match one of the provided options');
    rejects(inSection(checkboxes({ options: [{ ...option('a'), url: 'https://x' }] })), 'invalid additional property: url');
  });

  it('checks selects, inputs and overflow menus', () => {
    const select = { type: 'static_select', action_id: 's', options: [option('a')] };
    rejects([actions({ ...select, options: [{ text: mrkdwn('a'), value: 'a' }] })], 'must be plain_text');
    rejects([actions({ ...select, initial_option: option('b') })], 'must match one of the provided options');
    rejects([actions({ ...select, option_groups: [{ label: plain('g'), options: [option('a')] }] })], 'exactly one of options or option_groups');
    rejects([actions({ ...select, placeholder: plain(chars(151)) })], 'must be less than 151 characters');
    rejects([actions({ type: 'users_select', action_id: 'u', initial_user: 7 })], 'must be a string');
    const input = (element: unknown) => [{ type: 'input', label: plain('L'), element }];
    rejects(input({ type: 'plain_text_input', action_id: 'i', min_length: 10, max_length: 5 }), 'must not be greater than max_length');
    rejects(input({ type: 'plain_text_input', action_id: 'i', max_length: 3001 }), 'must be between 1 and 3000');
    rejects(input({ type: 'button', text: plain('x'), action_id: 'b' }), 'unsupported element type in input block: button');
    rejects([{ type: 'input', element: { type: 'plain_text_input' } }], 'missing required field: label');
    const overflow = { type: 'overflow', action_id: 'o', options: Array.from({ length: 6 }, (_, i) => option(`o${i}`)) };
    rejects([actions(overflow)], 'no more than 5 items allowed');
  });
});

describe('validateMessage', () => {
  it('limits top-level text to 40000 characters and needs text or blocks', () => {
    expect(validateMessage({ text: chars(40_000) })).toEqual([]);
    expect(validateMessage({ text: chars(40_001) }).join()).toContain('msg_too_long');
    expect(validateMessage({ text: '' }).join()).toContain('no_text');
    expect(validateMessage({ blocks: [section()] })).toEqual([]);
    expect(validateMessage({ text: 'x', blocks: [{ type: 'section' }] }).join()).toContain('must provide either text or fields');
  });
});

describe('validateView', () => {
  it('accepts a modal with inputs and a submit button, and a home tab', () => {
    const input = { type: 'input', block_id: 'why', label: plain('Why'), element: { type: 'plain_text_input', action_id: 'why' } };
    expect(validateView(modal({ blocks: [input], submit: plain('Run'), close: plain('Cancel'), callback_id: 'run', private_metadata: '{}' }))).toEqual([]);
    expect(validateView({ type: 'home', blocks: [section()] }, 'home')).toEqual([]);
  });

  it('enforces modal limits', () => {
    const errors = (view: unknown) => validateView(view).join('\n');
    expect(errors(modal({ title: plain(chars(25)) }))).toContain('must be less than 25 characters [json-pointer:/view/title/text]');
    expect(errors(modal({ submit: plain(chars(25)) }))).toContain('[json-pointer:/view/submit/text]');
    expect(errors(modal({ close: plain(chars(25)) }))).toContain('[json-pointer:/view/close/text]');
    expect(errors(modal({ callback_id: chars(256) }))).toContain('must be less than 256 characters [json-pointer:/view/callback_id]');
    expect(errors(modal({ private_metadata: chars(3001) }))).toContain('must be less than 3001 characters [json-pointer:/view/private_metadata]');
    expect(errors(modal({ title: undefined }))).toContain('missing required field: title');
    const input = { type: 'input', label: plain('L'), element: { type: 'plain_text_input', action_id: 'i' } };
    expect(errors(modal({ blocks: [input] }))).toContain('missing required field: submit');
    expect(errors(modal({ blocks: [{ type: 'nope' }] }))).toContain('[json-pointer:/view/blocks/0/type]');
    expect(validateView({ type: 'home', blocks: [] }, 'modal').join()).toContain('must be modal');
  });
});
