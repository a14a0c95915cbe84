import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, parseRules, RulesFileError, DEFAULT_RULES_FILE } from '../../src/core/alerts/rules.js';
import { parseCondition, observe, holds, formatValue, SUBJECTS, type Condition } from '../../src/core/alerts/conditions.js';
import { formatDuration, parseDuration } from '../../src/core/alerts/duration.js';

const RUNBOOKS = fileURLToPath(new URL('../../runbooks/', import.meta.url));
const rule = (fields: string) => `alerts:\n  - name: Good\n    condition: error_rate > 5%\n    duration: 5m\n    severity: P1\n    action: page_oncall\n  - name: Bad\n${fields}`;
const base = { condition: 'error_rate > 5%', duration: '5m', severity: 'P2', action: 'slack_alert' };
const fieldsOf = (over: Record<string, string | undefined>) =>
  Object.entries({ ...base, ...over })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');

function errorOf(text: string): RulesFileError {
  try {
    parseRules(text, 'rules.yml');
  } catch (err) {
    if (err instanceof RulesFileError) return err;
    throw err;
  }
  throw new Error('expected the rules file to be refused');
}

describe('the shipped alert-rules.yml', () => {
  it('holds the runbook five rules, parsed into thresholds in the gauges units', () => {
    const rules = loadRules();
    expect(DEFAULT_RULES_FILE.endsWith('alert-rules.yml')).toBe(true);
    expect(rules.map((r) => [r.name, r.condition.subject, r.condition.op, r.condition.threshold, r.forMs, r.severity, r.actions])).toEqual([
      ['HighErrorRate', 'error_rate', '>', 0.05, 5 * 60_000, 'P1', ['page_oncall']],
      ['SlowResponses', 'response_time_p95', '>', 2000, 10 * 60_000, 'P2', ['slack_alert']],
      ['ServiceDown', 'health_check', '==', 'unhealthy', 60_000, 'P0', ['page_oncall', 'slack_alert']],
      ['LowCacheHitRate', 'cache_hit_rate', '<', 0.3, 15 * 60_000, 'P3', ['slack_alert']],
      ['HighMemoryUsage', 'memory_usage_mb', '>', 1800, 5 * 60_000, 'P2', ['slack_alert']],
    ]);
  });

  it('gives each rule a runbook and reminds for P0 and P1 only', () => {
    const byName = new Map(loadRules().map((r) => [r.name, r]));
    expect(byName.get('HighErrorRate')!.runbook).toBe('high-error-rate');
    expect(byName.get('HighMemoryUsage')!.runbook).toBe('high-memory');
    expect(byName.get('ServiceDown')!.remindMs).toBe(15 * 60_000);
    expect(byName.get('HighErrorRate')!.remindMs).toBe(30 * 60_000);
    expect(byName.get('SlowResponses')!.remindMs).toBeUndefined();
  });
});

describe('runbook links', () => {
  it('every metric names a runbook that exists in runbooks/', () => {
    for (const subject of Object.values(SUBJECTS)) expect(existsSync(join(RUNBOOKS, `${subject.runbook}.yml`)), subject.runbook).toBe(true);
  });
});

describe('rules file errors name the file, the rule and the reason', () => {
  it.each([
    ['an unknown metric', { condition: 'eror_rate > 5%' }, /unknown metric "eror_rate"/],
    ['a fraction written as a whole number', { condition: 'error_rate > 5' }, /percentage such as 5%/],
    ['a time threshold without a time unit', { condition: 'response_time_p95 > 2kg' }, /time such as 2s/],
    ['no operator', { condition: 'error_rate is high' }, /not of the form <metric> <op> <threshold>/],
    ['health_check with >', { condition: 'health_check > unhealthy' }, /takes == or !=/],
    ['health_check with another word', { condition: 'health_check == sick' }, /healthy or unhealthy/],
    ['a duration in words', { duration: '5 minutes' }, /duration must be a duration such as 5m/],
    ['severity P5', { severity: 'P5' }, /severity must be P0, P1, P2 or P3/],
    ['an unknown action', { action: 'page_oncall + email' }, /unknown action "email"/],
    ['a missing condition', { condition: undefined }, /condition is missing/],
    ['a misspelt field', { durration: '5m' }, /unknown field "durration"/],
    ['a bad remind', { remind: 'often' }, /remind must be a duration/],
  ])('%s', (_what, over, reason) => {
    const err = errorOf(rule(fieldsOf(over)));
    expect(err.file).toBe('rules.yml');
    expect(err.rule).toBe('Bad');
    expect(err.line).toBe(7);
    expect(err.reason).toMatch(reason);
    expect(err.message).toMatch(/^alert rules file rules\.yml, rule "Bad" \(line 7\): /);
  });

  it('refuses two rules of one name', () => {
    const err = errorOf(rule(fieldsOf({})).replace('name: Bad', 'name: good'));
    expect(err.rule).toBe('good');
    expect(err.reason).toMatch(/already defined/);
  });

  it('refuses a file that is not YAML, with its line', () => {
    const err = errorOf('alerts:\n  - name: A\n    condition: [unclosed\n');
    expect(err.reason).toMatch(/not valid YAML/);
    expect(err.line).toBeGreaterThan(1);
  });

  it.each([['empty', ''], ['no alerts key', 'rules: []\n'], ['an empty list', 'alerts: []\n'], ['a scalar', 'alerts: yes\n']])('refuses a file with %s', (_what, text) => {
    expect(errorOf(text).reason).toMatch(/list of rules under the key `alerts:`/);
  });

  it('refuses a rule that is not a mapping', () => {
    const err = errorOf('alerts:\n  - just a string\n');
    expect(err.rule).toBe('#1');
    expect(err.reason).toMatch(/mapping of name, condition/);
  });

  it('names a file that cannot be read', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'rules-')), 'nope.yml');
    expect(() => loadRules(missing)).toThrow(new RegExp(`alert rules file ${missing}: cannot be read \\(ENOENT\\)`));
  });

  it('loads another file with optional remind and runbook', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'custom.yml');
    writeFileSync(file, 'alerts:\n  - name: Busy\n    condition: active_requests > 20\n    duration: 0\n    severity: P1\n    action: slack_alert\n    remind: off\n    runbook: high-cpu\n');
    const [busy] = loadRules(file);
    expect(busy).toMatchObject({ name: 'Busy', forMs: 0, remindMs: undefined, runbook: 'high-cpu' });
  });
});

describe('conditions', () => {
  const cond = (text: string) => parseCondition(text) as Condition;

  it('reads thresholds in the unit of the gauge', () => {
    expect(cond('response_time_p95_ms >= 500ms').threshold).toBe(500);
    expect(cond('response_time_p99 > 1.5s').threshold).toBe(1500);
    expect(cond('memory_usage_mb > 1.5GB').threshold).toBe(1536);
    expect(cond('cache_hit_rate < 0.3').threshold).toBe(0.3);
    expect(cond('cpu_usage_percent > 90%').threshold).toBe(90);
  });

  it('compares the observed value', () => {
    const c = cond('error_rate > 5%');
    expect(holds(c, 0.07)).toBe(true);
    expect(holds(c, 0.05)).toBe(false);
    expect(holds(cond('cache_hit_rate <= 30%'), 0.3)).toBe(true);
    expect(holds(cond('health_check != healthy'), 'unhealthy')).toBe(true);
  });

  it('sees no metric while /health is unhealthy, and nothing for a missing gauge', () => {
    const errorRate = cond('error_rate > 5%');
    expect(observe(errorRate, { health: 'healthy', gauges: { error_rate: 0.07 } })).toBe(0.07);
    expect(observe(errorRate, { health: 'unhealthy', gauges: { error_rate: 0.07 } })).toBeUndefined();
    expect(observe(errorRate, { health: 'healthy', gauges: {} })).toBeUndefined();
    expect(observe(errorRate, { health: 'healthy' })).toBeUndefined();
    expect(observe(cond('health_check == unhealthy'), { health: 'unhealthy' })).toBe('unhealthy');
  });

  it('formats values as people read them', () => {
    expect(formatValue(cond('error_rate > 5%'), 0.0712)).toBe('7.12%');
    expect(formatValue(cond('response_time_p95 > 2s'), 2400)).toBe('2.4 s');
    expect(formatValue(cond('response_time_p95 > 2s'), 320)).toBe('320 ms');
    expect(formatValue(cond('memory_usage_mb > 1800'), undefined)).toBe('no data');
  });
});

describe('durations', () => {
  it.each([['5m', 300_000], ['90s', 90_000], ['1h30m', 5_400_000], ['2d', 172_800_000], ['250ms', 250], ['0', 0]])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'm5', '5 minutes', '-5m', '1.5h'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats the largest two units', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(3_605_000)).toBe('1h');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
  });
});
