import { describe, expect, it } from 'vitest';
import { BASELINES, classify, parseMetrics, readBaselines } from '../../src/core/metrics.js';

const baseline = (key: string) => BASELINES.find((b) => b.key === key)!;

describe('parseMetrics', () => {
  it('reads Prometheus text exposition, skipping comments and taking the first sample', () => {
    const gauges = parseMetrics(['# HELP error_rate Fraction of failed requests', '# TYPE error_rate gauge', 'error_rate 0.004', 'cache_hit_rate{cache="cognee"} 0.71', 'cache_hit_rate{cache="other"} 0.1', 'memory_usage_mb 812.5', 'garbage line', 'cpu_usage_percent NaN'].join('\n'));
    expect(gauges).toEqual({ error_rate: 0.004, cache_hit_rate: 0.71, memory_usage_mb: 812.5 });
  });

  it('accepts a JSON object with the same keys', () => {
    expect(parseMetrics('{"error_rate": 0.02, "response_time_p95_ms": "640", "status": "ok"}')).toEqual({ error_rate: 0.02, response_time_p95_ms: 640 });
  });

  it('rejects a body that looks like JSON but is not', () => {
    expect(() => parseMetrics('{ not json')).toThrow(/neither Prometheus text nor JSON/);
  });
});

describe('baseline classification', () => {
  it.each([
    ['error_rate', 0.005, 'ok'],
    ['error_rate', 0.01, 'warn'],
    ['error_rate', 0.05, 'warn'],
    ['error_rate', 0.07, 'breach'],
    ['response_time_p95_ms', 499, 'ok'],
    ['response_time_p95_ms', 900, 'warn'],
    ['response_time_p95_ms', 2400, 'breach'],
    ['cache_hit_rate', 0.75, 'ok'],
    ['cache_hit_rate', 0.45, 'warn'],
    ['cache_hit_rate', 0.2, 'breach'],
    ['memory_usage_mb', 1200, 'ok'],
    ['memory_usage_mb', 1700, 'warn'],
    ['memory_usage_mb', 2100, 'breach'],
    ['cpu_usage_percent', 50, 'ok'],
    ['cpu_usage_percent', 80, 'warn'],
    ['cpu_usage_percent', 95, 'breach'],
  ])('%s = %s is %s', (key, value, level) => {
    expect(classify(baseline(key), value)).toBe(level);
  });

  it('reports a missing gauge as unknown, never healthy', () => {
    const { readings, worst } = readBaselines({ error_rate: 0.001 });
    expect(readings.find((r) => r.key === 'cache_hit_rate')).toMatchObject({ level: 'unknown', shown: 'not reported' });
    expect(worst).toBe('unknown');
  });

  it('shows the baseline beside each value', () => {
    const { readings } = readBaselines({ error_rate: 0.07, response_time_p95_ms: 300, cache_hit_rate: 0.8, memory_usage_mb: 900, cpu_usage_percent: 40 });
    expect(readings.map((r) => [r.key, r.shown, r.baseline, r.level])).toEqual([
      ['error_rate', '7%', '< 1%', 'breach'],
      ['response_time_p95_ms', '300 ms', '< 500 ms', 'ok'],
      ['cache_hit_rate', '80%', '> 60%', 'ok'],
      ['memory_usage_mb', '900 MB', '< 1536 MB', 'ok'],
      ['cpu_usage_percent', '40%', '< 70%', 'ok'],
    ]);
  });
});
