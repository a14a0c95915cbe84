/**
 * Alert rules and the digest. (1) Evaluating 1,000 rules against one /metrics scrape
 * (target: under 20 ms), beside a baseline that re-parses every condition on each
 * evaluation, as a string-expression evaluator would. (2) Assembling the digest with the
 * simulator's Cognee probe slowed down (target: within 2× the slowest probe), beside
 * that probe alone, in the same run.
 *
 *   npx tsx bench/alerts.ts
 */
import { liveIncidents } from '../src/core/incidents/repository.js';
import { pino } from 'pino';
import { startSimulator } from '../src/simulator/index.js';
import { SvpClient } from '../src/svp/client.js';
import { openStore } from '../src/store/index.js';
import { parseMetrics } from '../src/core/metrics.js';
import { parseRules, type AlertRule } from '../src/core/alerts/rules.js';
import { observe, parseCondition, type Condition, type Reading } from '../src/core/alerts/conditions.js';
import { evaluate, type AlertState } from '../src/core/alerts/state.js';
import { AlertMonitor } from '../src/core/alerts/monitor.js';
import { assembleDigest } from '../src/core/digest.js';
import { tempDatabase } from '../test/harness/support.js';
import { isMain, percentile, printTable, round } from './lib.js';

const RULES = 1000;
const ROUNDS = 50;
const SLOW_PROBE_MS = 300;
const DIGESTS = 5;

/** 1,000 rules over every metric subject, with thresholds spread around their baselines. */
function manyRules(): AlertRule[] {
  const conditions = ['error_rate > {n}%', 'response_time_p95 > {n}ms', 'cache_hit_rate < {n}%', 'memory_usage_mb > {n}', 'cpu_usage_percent > {n}%', 'active_requests > {n}', 'health_check == unhealthy'];
  const lines = ['alerts:'];
  for (let i = 0; i < RULES; i++) {
    const condition = conditions[i % conditions.length]!.replace('{n}', String(1 + (i % 97)));
    lines.push(`  - name: Rule${i}`, `    condition: ${condition}`, `    duration: ${i % 10}m`, `    severity: P${i % 4}`, '    action: slack_alert');
  }
  return parseRules(lines.join('\n'), 'bench-rules.yml');
}

/** One evaluation round of every rule; returns the elapsed ms. */
function evaluateRound(rules: AlertRule[], states: Map<string, AlertState>, reading: Reading, now: number, conditionOf: (r: AlertRule) => Condition): number {
  const started = performance.now();
  for (const rule of rules) {
    const condition = conditionOf(rule);
    const step = evaluate({ ...rule, condition }, states.get(rule.name), observe(condition, reading), now);
    states.set(rule.name, step.state);
  }
  return performance.now() - started;
}

async function rulesBench(scrape: string): Promise<Record<string, string | number>[]> {
  const rules = manyRules();
  const reading: Reading = { health: 'healthy', gauges: parseMetrics(scrape) };
  const compiled: number[] = [];
  const reparsed: number[] = [];
  const withScrape: number[] = [];
  const states = [new Map<string, AlertState>(), new Map<string, AlertState>(), new Map<string, AlertState>()];
  for (let i = 0; i < ROUNDS; i++) {
    const now = Date.UTC(2026, 10, 28, 9, i);
    compiled.push(evaluateRound(rules, states[0]!, reading, now, (r) => r.condition));
    reparsed.push(evaluateRound(rules, states[1]!, reading, now, (r) => parseCondition(r.condition.text) as Condition));
    const started = performance.now();
    evaluateRound(rules, states[2]!, { health: 'healthy', gauges: parseMetrics(scrape) }, now, (r) => r.condition);
    withScrape.push(performance.now() - started);
  }
  const row = (what: string, ms: number[], target = '') => ({ what, 'p50 ms': round(percentile(ms, 50), 3), 'p99 ms': round(percentile(ms, 99), 3), target });
  return [
    row(`${RULES} rules, parsed once (svp-ops)`, compiled, '< 20 ms'),
    row(`${RULES} rules + parsing the scrape`, withScrape, '< 20 ms'),
    row(`baseline: re-parse each condition`, reparsed),
  ];
}

async function digestBench(): Promise<Record<string, string | number>[]> {
  const sim = await startSimulator();
  const svp = new SvpClient({ apiUrl: sim.url, frontendUrl: sim.frontendUrl, timeoutMs: 5000 });
  const store = await openStore(tempDatabase());
  try {
    sim.setFault('/cognee/health', { kind: 'slow', ms: SLOW_PROBE_MS });
    const alerts = new AlertMonitor(parseRules(`alerts:\n  - name: HighErrorRate\n    condition: error_rate > 5%\n    duration: 5m\n    severity: P1\n    action: page_oncall\n`, 'x.yml'), { store, svp, log: pino({ level: 'silent' }) });
    const deps = { svp, store, alerts, incidents: { live: () => liveIncidents(store) }, config: { SVP_MAINTENANCE_CRON: '0 2 * * 0', SVP_TZ: 'UTC' } };
    await assembleDigest(deps, Date.now()); // warm the connections and the store
    const probe: number[] = [];
    const digest: number[] = [];
    for (let i = 0; i < DIGESTS; i++) {
      let started = performance.now();
      await svp.call('cogneeHealth');
      probe.push(performance.now() - started);
      started = performance.now();
      await assembleDigest(deps, Date.UTC(2026, 10, 28, 9, 0) + i * 86_400_000);
      digest.push(performance.now() - started);
    }
    const slowest = percentile(probe, 50);
    const assembled = percentile(digest, 50);
    return [
      { what: `baseline: the slowest probe alone (Cognee, slowed to ${SLOW_PROBE_MS} ms)`, 'p50 ms': round(slowest), 'p99 ms': round(percentile(probe, 99)), target: '' },
      { what: 'digest assembled (5 probes, metrics, store, alerts, cron)', 'p50 ms': round(assembled), 'p99 ms': round(percentile(digest, 99)), target: `< ${round(2 * slowest)} ms (2×); ${round(assembled / slowest, 2)}×` },
    ];
  } finally {
    await svp.close();
    await store.close();
    await sim.close();
  }
}

export async function main(): Promise<void> {
  const sim = await startSimulator();
  const svp = new SvpClient({ apiUrl: sim.url, frontendUrl: sim.frontendUrl, timeoutMs: 5000 });
  const scrape = String((await svp.call('metrics')).data);
  await svp.close();
  await sim.close();
  printTable(`Alert rules: ${RULES} rules × one /metrics scrape, ${ROUNDS} rounds`, await rulesBench(scrape));
  printTable(`Digest vs the slowest probe, ${DIGESTS} runs`, await digestBench());
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
