/**
 * Small building blocks for the Block Kit validator. Problems are reported in
 * the same shape Slack uses in `invalid_blocks` responses:
 *   "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"
 * so a failing test reads like the error the bot would get in production.
 */

export type JsonObject = Record<string, unknown>;

export class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${problem} [json-pointer:${path}]`);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack rejects any property its schema does not know (typos like `acton_id` fail loudly). */
export function checkKeys(p: Problems, obj: JsonObject, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) p.add(path, `invalid additional property: ${key}`);
  }
}

export function requireObject(p: Problems, value: unknown, path: string): value is JsonObject {
  if (isObject(value)) return true;
  p.add(path, 'must provide an object');
  return false;
}

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** Checks obj[key] is a string within length limits; returns it when usable. */
export function checkString(p: Problems, obj: JsonObject, key: string, path: string, rule: StringRule = {}): string | undefined {
  const value = obj[key];
  if (value === undefined) {
    if (rule.required) p.add(path, `missing required field: ${key}`);
    return undefined;
  }
  if (typeof value !== 'string') {
    p.add(`${path}/${key}`, 'must be a string');
    return undefined;
  }
  const min = rule.min ?? 0;
  if (value.length < min) p.add(`${path}/${key}`, `must be more than ${min - 1} characters`);
  if (rule.max !== undefined && value.length > rule.max) p.add(`${path}/${key}`, `must be less than ${rule.max + 1} characters`);
  return value;
}

/** Identifiers (block_id, action_id, callback_id) share one rule: 1..255 characters. */
export function checkId(p: Problems, obj: JsonObject, key: string, path: string, required = false): string | undefined {
  return checkString(p, obj, key, path, { required, min: 1, max: 255 });
}

export function checkBoolean(p: Problems, obj: JsonObject, key: string, path: string): void {
  if (obj[key] !== undefined && typeof obj[key] !== 'boolean') p.add(`${path}/${key}`, 'must be a boolean');
}

export function checkInteger(p: Problems, obj: JsonObject, key: string, path: string, min: number, max: number): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    p.add(`${path}/${key}`, 'must be an integer');
    return undefined;
  }
  if (value < min || value > max) p.add(`${path}/${key}`, `must be between ${min} and ${max}`);
  return value;
}

export function checkEnum(p: Problems, obj: JsonObject, key: string, path: string, allowed: readonly string[]): void {
  const value = obj[key];
  if (value !== undefined && !allowed.includes(value as string)) {
    p.add(`${path}/${key}`, `must be one of ${allowed.join(', ')}`);
  }
}

interface ArrayRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export function checkArray(p: Problems, obj: JsonObject, key: string, path: string, rule: ArrayRule = {}): unknown[] | undefined {
  const value = obj[key];
  if (value === undefined) {
    if (rule.required) p.add(path, `missing required field: ${key}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add(`${path}/${key}`, 'must provide an array');
    return undefined;
  }
  if (rule.min !== undefined && value.length < rule.min) p.add(`${path}/${key}`, `must provide at least ${rule.min} items`);
  if (rule.max !== undefined && value.length > rule.max) p.add(`${path}/${key}`, `no more than ${rule.max} items allowed`);
  return value;
}

interface TextRule {
  required?: boolean;
  max: number;
  plainOnly?: boolean;
}

/** A composition text object: {type: 'plain_text'|'mrkdwn', text}, text 1..max characters. */
export function checkText(p: Problems, obj: JsonObject, key: string, path: string, rule: TextRule): void {
  const value = obj[key];
  if (value === undefined) {
    if (rule.required) p.add(path, `missing required field: ${key}`);
    return;
  }
  checkTextObject(p, value, `${path}/${key}`, rule);
}

export function checkTextObject(p: Problems, value: unknown, path: string, rule: Omit<TextRule, 'required'>): void {
  if (!requireObject(p, value, path)) return;
  const kinds = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!kinds.includes(value.type as string)) {
    p.add(`${path}/type`, `must be ${kinds.join(' or ')}`);
    return;
  }
  // `emoji` only exists on plain_text, `verbatim` only on mrkdwn.
  checkKeys(p, value, path, value.type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim']);
  checkString(p, value, 'text', path, { required: true, min: 1, max: rule.max });
  checkBoolean(p, value, 'emoji', path);
  checkBoolean(p, value, 'verbatim', path);
}
