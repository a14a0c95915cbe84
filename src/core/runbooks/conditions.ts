/**
 * The safe expression language of runbook conditions, e.g.
 * `hit_rate < 0.3`, `error_rate > 10% and not ai_ok`, `p95 > 2s`, `memory > 1.5GB`,
 * `answer contains "not found"`. A hand-written tokenizer and recursive-descent parser:
 * nothing is ever evaluated as code.
 *
 * Figures a condition names may be missing (a step that did not run, a field SVP did not
 * report). Evaluation is three-valued: true, false, or undefined (unknown), so a missing
 * gauge is never taken for a healthy one.
 */
export type Value = number | string | boolean;
export type Truth = boolean | undefined;
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'contains';

export type Expr =
  | { kind: 'literal'; value: Value }
  | { kind: 'figure'; name: string }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr };

/** A syntax error; `column` is 1-based within the condition text. */
export class ConditionError extends Error {
  constructor(message: string, readonly column: number) {
    super(`${message} (column ${column})`);
    this.name = 'ConditionError';
  }
}

const MAX_LENGTH = 500;
const MAX_DEPTH = 20;

/** Units normalise to what SVP's gauges use: fractions, milliseconds, megabytes. */
const UNITS: Record<string, number> = { '%': 0.01, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, kb: 1 / 1024, mb: 1, gb: 1024, x: 1 };

type Token =
  | { type: 'number'; value: number; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'word'; value: string; at: number }
  | { type: 'op'; value: string; at: number }
  | { type: 'end'; at: number };

const NUMBER = /^-?\d+(?:\.\d+)?(%|[a-zA-Z]+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const OPERATOR = /^(<=|>=|==|!=|<|>|\(|\))/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const at = i + 1;
    const number = NUMBER.exec(rest);
    if (number) {
      const unit = number[1]?.toLowerCase();
      const scale = unit === undefined ? 1 : UNITS[unit];
      if (scale === undefined) throw new ConditionError(`unknown unit "${number[1]}" (use %, ms, s, m, h, KB, MB, GB or x)`, at + number[0].length - number[1]!.length);
      tokens.push({ type: 'number', value: parseFloat(number[0]) * scale, at });
      i += number[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const end = rest.indexOf(quote, 1);
      if (end < 0) throw new ConditionError('text in quotes is not closed', at);
      tokens.push({ type: 'string', value: rest.slice(1, end), at });
      i += end + 1;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ type: 'word', value: word[0], at });
      i += word[0].length;
      continue;
    }
    const op = OPERATOR.exec(rest);
    if (op) {
      tokens.push({ type: 'op', value: op[0], at });
      i += op[0].length;
      continue;
    }
    throw new ConditionError(`unexpected character "${rest[0]}"`, at);
  }
  tokens.push({ type: 'end', at: text.length + 1 });
  return tokens;
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', 'contains']);
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'contains']);

/** Parses a condition; throws ConditionError saying what was expected and where. */
export function parseCondition(text: string): Expr {
  if (text.length > MAX_LENGTH) throw new ConditionError(`a condition is at most ${MAX_LENGTH} characters`, MAX_LENGTH + 1);
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const isWord = (t: Token, w: string) => t.type === 'word' && t.value.toLowerCase() === w;
  const describe = (t: Token) => (t.type === 'end' ? 'the end' : `"${String(t.value)}"`);

  const or = (): Expr => {
    let left = and();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: not() };
    }
    return left;
  };
  const not = (): Expr => {
    if (!isWord(peek(), 'not')) return compare();
    pos++;
    return nested(() => ({ kind: 'not', operand: not() }));
  };
  const compare = (): Expr => {
    const left = primary();
    const t = peek();
    const op = t.type === 'op' || t.type === 'word' ? t.value.toLowerCase() : '';
    if (!COMPARISONS.has(op)) return left;
    pos++;
    return { kind: 'compare', op: op as CompareOp, left, right: primary() };
  };
  const primary = (): Expr => {
    const t = peek();
    pos++;
    if (t.type === 'number' || t.type === 'string') return { kind: 'literal', value: t.value };
    if (t.type === 'word') {
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
      if (!KEYWORDS.has(lower)) return { kind: 'figure', name: t.value };
    }
    if (t.type === 'op' && t.value === '(') {
      const inner = nested(or);
      const close = peek();
      if (close.type !== 'op' || close.value !== ')') throw new ConditionError(`expected ")" but found ${describe(close)}`, close.at);
      pos++;
      return inner;
    }
    throw new ConditionError(`expected a figure, a number or a quoted text but found ${describe(t)}`, t.at);
  };
  const nested = (parse: () => Expr): Expr => {
    if (++depth > MAX_DEPTH) throw new ConditionError(`nested more than ${MAX_DEPTH} levels deep`, peek().at);
    const expr = parse();
    depth--;
    return expr;
  };

  const expr = or();
  if (peek().type !== 'end') throw new ConditionError(`expected "and", "or" or the end but found ${describe(peek())}`, peek().at);
  return expr;
}

/** Every figure the condition reads, once each. */
export function figuresIn(expr: Expr): string[] {
  const names = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.kind === 'figure') names.add(e.name);
    else if (e.kind === 'not') walk(e.operand);
    else if (e.kind !== 'literal') {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return [...names];
}

export type Lookup = (name: string) => Value | undefined;

/** true, false, or undefined when a figure it needs is unknown or the types do not compare. */
export function evaluate(expr: Expr, lookup: Lookup): Truth {
  switch (expr.kind) {
    case 'literal':
    case 'figure': {
      const v = valueOf(expr, lookup);
      return v === undefined ? undefined : typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : v !== '';
    }
    case 'not': {
      const v = evaluate(expr.operand, lookup);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      const l = evaluate(expr.left, lookup);
      if (l === false) return false;
      const r = evaluate(expr.right, lookup);
      return r === false ? false : l === undefined || r === undefined ? undefined : true;
    }
    case 'or': {
      const l = evaluate(expr.left, lookup);
      if (l === true) return true;
      const r = evaluate(expr.right, lookup);
      return r === true ? true : l === undefined || r === undefined ? undefined : false;
    }
    case 'compare':
      return compareValues(expr.op, valueOf(expr.left, lookup), valueOf(expr.right, lookup));
  }
}

function valueOf(expr: Expr, lookup: Lookup): Value | undefined {
  if (expr.kind === 'literal') return expr.value;
  if (expr.kind === 'figure') return lookup(expr.name);
  return evaluate(expr, lookup);
}

/** SVP may send numbers as text ("0.2"); compare them as numbers. */
const asNumber = (v: Value): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

function compareValues(op: CompareOp, a: Value | undefined, b: Value | undefined): Truth {
  if (a === undefined || b === undefined) return undefined;
  if (op === 'contains') return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase().includes(b.toLowerCase()) : undefined;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined && (typeof a === 'number' || typeof b === 'number')) {
    return { '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y, '==': x === y, '!=': x !== y }[op];
  }
  if (op === '==' || op === '!=') {
    const same = typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
    return op === '==' ? same : !same;
  }
  return undefined;
}

/** "hit_rate = 0.8, cache_size = 500" or "hit_rate is not known": the figures behind a verdict. */
export function explain(expr: Expr, lookup: Lookup): string {
  return figuresIn(expr)
    .map((name) => {
      const v = lookup(name);
      return v === undefined ? `${name} is not known` : `${name} = ${typeof v === 'string' ? `"${v.slice(0, 60)}"` : String(v)}`;
    })
    .join(', ');
}
