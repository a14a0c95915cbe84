import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunbooks, formatProblem, loadRunbooks, RunbookLoadError } from '../../src/core/runbooks/loader.js';
import { planRun } from '../../src/core/runbooks/plan.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/runbooks');

/** The problems a set of runbook sources gives, as `file:line: message` lines. */
function problemsOf(sources: { file: string; source: string }[]): string[] {
  try {
    checkRunbooks(sources);
  } catch (err) {
    expect(err).toBeInstanceOf(RunbookLoadError);
    return (err as RunbookLoadError).problems.map(formatProblem);
  }
  return [];
}

const fixture = (file: string) => problemsOf([{ file, source: readFileSync(join(FIXTURES, file), 'utf8') }]);

describe('the project runbooks', () => {
  const runbooks = loadRunbooks();

  it('every runbooks/*.yml loads, one per procedure of RUNBOOK.md', () => {
    expect(runbooks.map((r) => r.id).sort()).toEqual([
      'cognee-errors',
      'debug-ai-query',
      'debug-cognee-ingestion',
      'debug-performance',
      'deployment-verification',
      'high-cpu',
      'high-error-rate',
      'high-memory',
      'monthly-maintenance',
      'quick-health-check',
      'rollback',
      'rollback-check',
      'slow-ai-queries',
      'webhook-sync-failures',
      'weekly-maintenance',
    ]);
  });

  it('the destructive operations of the runbook are destructive steps, so they go through confirmation', () => {
    const destructive = runbooks.flatMap((r) => r.steps.filter((s) => s.kind === 'http' && s.effect === 'destructive').map((s) => (s.kind === 'http' ? s.endpoint : '')));
    expect(new Set(destructive)).toEqual(new Set(['cogneeReset', 'syncIngest', 'cacheClear']));
  });

  it('rollback-check only reads: it recommends, never performs', () => {
    const byId = new Map(runbooks.map((r) => [r.id, r]));
    const plan = planRun(byId.get('rollback-check')!, (id) => byId.get(id)).steps;
    expect(plan.every((p) => p.step.effect === 'read' && p.step.kind !== 'manual')).toBe(true);
  });

  it('a runbook step brings in the other runbook, scoped under its id', () => {
    const byId = new Map(runbooks.map((r) => [r.id, r]));
    const keys = planRun(byId.get('deployment-verification')!, (id) => byId.get(id)).steps.map((p) => p.key);
    expect(keys.slice(0, 6)).toEqual(['health.service', 'health.database', 'health.cognee', 'health.frontend', 'health.ai_query', 'health.healthy']);
    expect(keys).toContain('smoke');
  });
});

describe('malformed and hostile runbook files give clear errors', () => {
  it.each([
    ['bad-syntax.yml', 'bad-syntax.yml:6: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['duplicate-key.yml', 'duplicate-key.yml:12: YAML: Map keys must be unique'],
    ['misspelt-key.yml', 'misspelt-key.yml:17: steps[1] (cold).conditon: Unrecognized key: "conditon"'],
    ['misspelt-key.yml', 'misspelt-key.yml:13: steps[1] (cold).condition: is required'],
    ['unknown-kind.yml', 'unknown-kind.yml:8: steps[0] (a).kind: kind must be http, check, manual, wait, runbook or notify'],
    ['bad-condition.yml', 'bad-condition.yml:17: steps[1] (warm_up).when: condition "hit_rate <": expected a figure, a number or a quoted text but found the end (column 11)'],
    ['weak-effect.yml', 'weak-effect.yml:10: steps[0] (reset).effect: effect read is too weak: POST /cognee/reset is destructive'],
    ['raw-url.yml', 'raw-url.yml:11: steps[0] (exfiltrate).endpoint: unknown SVP endpoint "https://evil.example/collect"'],
    ['missing-param.yml', 'missing-param.yml:12: steps[0] (status).params: /cognee/ingest/status/:jobId takes params jobId; missing jobId; unknown job'],
    ['undefined-figure.yml', 'undefined-figure.yml:11: steps[0] (cold).condition: "hit_rate" is not a figure defined before this step'],
    ['undefined-figure.yml', 'undefined-figure.yml:12: steps[0] (cold).if_true: "hit_rat" is not a figure defined before this step'],
    ['wrong-id.yml', 'wrong-id.yml:1: id: id "something-else" must match the file name (something-else.yml)'],
    ['not-a-map.yml', 'not-a-map.yml:1: Invalid input: expected object, received array'],
    ['billion-laughs.yml', 'billion-laughs.yml: YAML: Excessive alias count indicates a resource exhaustion attack'],
    ['js-tag.yml', 'js-tag.yml:3: YAML: Unresolved tag: tag:yaml.org,2002:js/function'],
    ['proto.yml', 'proto.yml:7: __proto__: Unrecognized key: "__proto__"'],
  ])('%s', (file, expected) => {
    const problems = fixture(file);
    expect(problems.some((p) => p.startsWith(expected)), problems.join('\n')).toBe(true);
  });

  it('a __proto__ key pollutes nothing', () => {
    fixture('proto.yml');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('runbooks that include each other are refused, naming the loop', () => {
    expect(() => loadRunbooks(join(FIXTURES, 'cycle'))).toThrow(/ping\.yml:7: steps\[0\] \(other\)\.runbook: runbooks include each other: ping → pong → ping/);
  });

  it('a file over 128 KB is refused before it is parsed', () => {
    const source = `id: big\ntitle: Big\nsummary: "${'x'.repeat(140_000)}"\n`;
    expect(problemsOf([{ file: 'big.yml', source }])).toEqual(['big.yml: file is larger than 128 KB']);
  });

  it('a sub-runbook must exist, need no input and not be stronger than the step declares', () => {
    const sub = `id: sub
title: Sub
summary: Needs an input and resets the cache.
severity: P3
symptoms: [s]
inputs: [{ name: job_id, kind: id, about: a job }]
steps:
  - { id: clear, kind: http, title: Clear, effect: destructive, endpoint: cacheClear }
`;
    const main = `id: main
title: Main
summary: Runs sub as a read step, and a missing one.
severity: P3
symptoms: [s]
steps:
  - { id: inner, kind: runbook, title: Sub, effect: read, runbook: sub }
  - { id: gone, kind: runbook, title: Gone, effect: read, runbook: nowhere }
`;
    expect(problemsOf([{ file: 'sub.yml', source: sub }, { file: 'main.yml', source: main }])).toEqual([
      'main.yml:7: steps[0] (inner).runbook: "sub" needs inputs (job_id) without defaults, so it cannot run as a step',
      'main.yml:7: steps[0] (inner).runbook: effect read is too weak: "sub" has destructive steps',
      'main.yml:8: steps[1] (gone).runbook: no runbook "nowhere" (is runbooks/nowhere.yml missing or invalid?)',
    ]);
  });

  it('a wait step only polls a read endpoint', () => {
    const source = `id: poll-reset
title: Poll reset
summary: Polling a destructive endpoint would repeat it.
severity: P3
symptoms: [s]
steps:
  - { id: again, kind: wait, title: Again, effect: destructive, endpoint: cogneeReset, until: "again.ok" }
`;
    expect(problemsOf([{ file: 'poll-reset.yml', source }])).toEqual(['poll-reset.yml:7: steps[0] (again).endpoint: a wait step polls, so it must call a read endpoint and be effect read']);
  });
});
