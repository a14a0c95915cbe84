import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConditionError, evaluate, explain, figuresIn, parseCondition, type Value } from '../../src/core/runbooks/conditions.js';

const check = (text: string, figures: Record<string, Value> = {}) => evaluate(parseCondition(text), (n) => figures[n]);

describe('runbook conditions: parsing and units', () => {
  it('compares numbers with the runbook thresholds and units', () => {
    expect(check('hit_rate < 0.3', { hit_rate: 0.2 })).toBe(true);
    expect(check('hit_rate < 0.3', { hit_rate: 0.8 })).toBe(false);
    expect(check('error_rate > 5%', { error_rate: 0.07 })).toBe(true);
    expect(check('error_rate > 5%', { error_rate: 0.05 })).toBe(false);
    expect(check('p95 > 2s', { p95: 2400 })).toBe(true);
    expect(check('p95 > 2s', { p95: 1999 })).toBe(false);
    expect(check('rag_ms > 200ms', { rag_ms: 201 })).toBe(true);
    expect(check('memory > 1.5GB', { memory: 1537 })).toBe(true);
    expect(check('memory > 1.5GB', { memory: 1536 })).toBe(false);
    expect(check('age >= 5m', { age: 300_000 })).toBe(true);
    expect(check('p95 > 5x', { p95: 6 })).toBe(true);
    expect(check('delta >= -1', { delta: -1 })).toBe(true);
  });

  it('reads and/or/not with the usual precedence, and parentheses', () => {
    const f = { a: true, b: false, c: true };
    expect(check('a or b and not c', f)).toBe(true); // a or (b and (not c))
    expect(check('(a or b) and not c', f)).toBe(false);
    expect(check('not not a', f)).toBe(true);
    expect(check('NOT b AND a', f)).toBe(true);
  });

  it('compares text case-insensitively, with contains, and numbers SVP sent as text', () => {
    expect(check('status == "healthy"', { status: 'Healthy' })).toBe(true);
    expect(check("status != 'healthy'", { status: 'unhealthy' })).toBe(true);
    expect(check('answer contains "not found"', { answer: 'Product "X" was NOT FOUND in the graph.' })).toBe(true);
    expect(check('answer contains "not found"', { answer: 'X is in Develop' })).toBe(false);
    expect(check('rate < 0.3', { rate: '0.2' })).toBe(true);
    expect(check('ok == true', { ok: true })).toBe(true);
  });

  it('a bare figure is true when set: a boolean, a non-zero number, a non-empty text', () => {
    expect(check('job_id', { job_id: 'abc123' })).toBe(true);
    expect(check('job_id', { job_id: '' })).toBe(false);
    expect(check('n', { n: 0 })).toBe(false);
    expect(check('done', { done: false })).toBe(false);
  });

  it('is three-valued: a missing figure is unknown, never healthy', () => {
    expect(check('hit_rate < 0.3')).toBeUndefined();
    expect(check('not hit_rate < 0.3')).toBeUndefined();
    expect(check('missing or yes', { yes: true })).toBe(true);
    expect(check('missing and no', { no: false })).toBe(false);
    expect(check('missing and yes', { yes: true })).toBeUndefined();
    expect(check('missing or no', { no: false })).toBeUndefined();
    // Types that do not order compare as unknown, not as false.
    expect(check('status < 3', { status: 'healthy' })).toBeUndefined();
    expect(check('n contains "x"', { n: 3 })).toBeUndefined();
  });

  it('names the figures it reads and explains their values', () => {
    const expr = parseCondition('hit_rate < 0.3 or (cache.ok and size > 10)');
    expect(figuresIn(expr)).toEqual(['hit_rate', 'cache.ok', 'size']);
    expect(explain(expr, (n) => ({ hit_rate: 0.8, 'cache.ok': true })[n])).toBe('hit_rate = 0.8, cache.ok = true, size is not known');
  });
});

describe('runbook conditions: errors say what and where', () => {
  const error = (text: string) => {
    try {
      parseCondition(text);
    } catch (err) {
      expect(err).toBeInstanceOf(ConditionError);
      return err as ConditionError;
    }
    throw new Error(`"${text}" parsed`);
  };

  it.each([
    ['hit_rate <', 'expected a figure, a number or a quoted text but found the end', 11],
    ['hit_rate < 0.3 and', 'found the end', 19],
    ['a b', 'expected "and", "or" or the end but found "b"', 3],
    ['(a or b', 'expected ")" but found the end', 8],
    ['rate > 5 furlongs', 'expected "and", "or"', 10],
    ['rate > 5parsecs', 'unknown unit "parsecs"', 9],
    ['status == "healthy', 'text in quotes is not closed', 11],
    ['a; process.exit(1)', 'unexpected character ";"', 2],
    ['`rm -rf /`', 'unexpected character "`"', 1],
    ['a && b', 'unexpected character "&"', 3],
    ['and', 'found "and"', 1],
  ])('%s', (text, message, column) => {
    const err = error(text);
    expect(err.message).toContain(message);
    expect(err.column).toBe(column);
  });

  it('refuses hostile input: deep nesting and very long conditions', () => {
    expect(error(`${'('.repeat(50)}a${')'.repeat(50)}`).message).toContain('nested more than 20 levels');
    expect(error(`${'not '.repeat(30)}a`).message).toContain('nested more than 20 levels');
    expect(error(`a == "${'x'.repeat(600)}"`).message).toContain('at most 500 characters');
  });

  it('never evaluates code and never throws anything but a ConditionError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          const expr = parseCondition(text);
          const value = evaluate(expr, () => undefined);
          expect([true, false, undefined]).toContain(value);
        } catch (err) {
          expect(err).toBeInstanceOf(ConditionError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
