/**
 * Runbooks. (1) Loading and validating 200 runbook files from disk (target: under 300 ms),
 * beside a baseline that only parses the YAML. (2) Triage over 200 runbooks (target: under
 * 5 ms a query), beside a naive substring scorer, with how often each puts the right
 * runbook first for symptom phrasings over the project's own runbooks.
 *
 *   npx tsx bench/runbooks.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadRunbooks, RUNBOOKS_DIR } from '../src/core/runbooks/loader.js';
import { TriageIndex } from '../src/core/runbooks/triage.js';
import type { Runbook } from '../src/core/runbooks/schema.js';
import { isMain, percentile, printTable, round } from './lib.js';

const COUNT = 200;
const LOAD_ROUNDS = 10;
const TRIAGE_ROUNDS = 50;

/** Phrasings of symptoms and the runbook that treats them. */
const QUERIES: [string, string][] = [
  ['Users report slow response times', 'slow-ai-queries'],
  ['the AI is really sluggish today', 'slow-ai-queries'],
  ['Ingestion jobs failing', 'cognee-errors'],
  ['duplicate entities in cognee', 'cognee-errors'],
  ['users seeing 500 errors', 'high-error-rate'],
  ['lots of 5xx from the api', 'high-error-rate'],
  ['new products do not show up in answers', 'webhook-sync-failures'],
  ['webhook endpoint returning 500', 'webhook-sync-failures'],
  ['out of memory, render keeps auto restarting', 'high-memory'],
  ['request queue building up', 'high-cpu'],
  ['query returns wrong answer with low confidence', 'debug-ai-query'],
  ['ingestion job never finishes', 'debug-cognee-ingestion'],
  ['which stage is the bottleneck of a slow query', 'debug-performance'],
  ['we just deployed a new version', 'deployment-verification'],
  ['bad deploy, revert to the previous version', 'rollback'],
  ['everything is down, all endpoints return 503', 'quick-health-check'],
];

/**
 * 200 files: whole sets of copies of the project's runbooks, each set with its own id
 * suffix (so sub-runbook references resolve within the set) and a symptom of its own.
 */
function writeRunbooks(dir: string): void {
  const sources = readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(join(RUNBOOKS_DIR, f), 'utf8'));
  const included = new Set(sources.flatMap((s) => [...s.matchAll(/runbook: ([a-z0-9-]+)/g)].map((m) => m[1]!)));
  const files: { base: string; id: string; text: string }[] = [];
  for (let set = 0; files.length < COUNT; set++) {
    for (const source of sources) {
      const base = /^id: (\S+)/m.exec(source)![1]!;
      const text = source
        .replace(/^id: (\S+)/m, `id: $1-${set}`)
        .replace(/runbook: ([a-z0-9-]+)/g, `runbook: $1-${set}`)
        .replace(/^symptoms:\n/m, `symptoms:\n  - Variant ${set} of ${base}\n`);
      files.push({ base, id: `${base}-${set}`, text });
    }
  }
  // The surplus comes from the last set: drop runbooks no other one includes.
  for (let i = files.length - 1; i >= 0 && files.length > COUNT; i--) {
    if (!included.has(files[i]!.base)) files.splice(i, 1);
  }
  for (const f of files) writeFileSync(join(dir, `${f.id}.yml`), f.text);
}

function loadBench(dir: string): Record<string, string | number>[] {
  const validated: number[] = [];
  const parsedOnly: number[] = [];
  let count = 0;
  for (let i = 0; i < LOAD_ROUNDS; i++) {
    let started = performance.now();
    count = loadRunbooks(dir).length;
    validated.push(performance.now() - started);
    started = performance.now();
    for (const f of readdirSync(dir)) parse(readFileSync(join(dir, f), 'utf8'));
    parsedOnly.push(performance.now() - started);
  }
  // svp-ops' first round is a cold start (YAML parser and zod not yet optimised); the baseline runs after it, warm.
  const row = (what: string, ms: number[], first: number | string, target = '') => ({ what, 'cold ms': first, 'p50 ms': round(percentile(ms, 50), 1), 'p99 ms': round(percentile(ms, 99), 1), target });
  return [row(`load + validate ${count} runbooks (svp-ops)`, validated, round(validated[0]!, 1), '< 300 ms'), row('baseline: read + YAML.parse only, no validation', parsedOnly, '—')];
}

/** The baseline: how many of the query's words appear anywhere in the runbook's text. */
function substringScorer(runbooks: Runbook[]) {
  const texts = runbooks.map((r) => ({ id: r.id, text: [r.title, r.summary, ...r.symptoms].join(' ').toLowerCase() }));
  return (query: string): string | undefined => {
    const words = query.toLowerCase().split(/\W+/).filter((w) => w.length > 2);
    let best: { id: string; score: number } | undefined;
    for (const { id, text } of texts) {
      const score = words.filter((w) => text.includes(w)).length;
      if (score > 0 && (!best || score > best.score)) best = { id, score };
    }
    return best?.id;
  };
}

function timePerQuery(rank: (q: string) => unknown): number[] {
  const perQuery: number[] = [];
  for (let i = 0; i < TRIAGE_ROUNDS; i++) {
    for (const [query] of QUERIES) {
      const started = performance.now();
      rank(query);
      perQuery.push(performance.now() - started);
    }
  }
  return perQuery;
}

function triageBench(many: Runbook[]): Record<string, string | number>[] {
  const own = loadRunbooks();
  const bm25 = new TriageIndex(many);
  const naive = substringScorer(many);
  const bm25Ms = timePerQuery((q) => bm25.rank(q));
  const naiveMs = timePerQuery(naive);
  // Right-first rates over the project's own 15 runbooks, where each answer is unique.
  const ownIndex = new TriageIndex(own);
  const ownNaive = substringScorer(own);
  const right = (rank: (q: string) => string | undefined) => `${QUERIES.filter(([q, id]) => rank(q) === id).length}/${QUERIES.length}`;
  return [
    { what: `triage BM25 over ${many.length} runbooks, per query (svp-ops)`, 'p50 ms': round(percentile(bm25Ms, 50), 3), 'p99 ms': round(percentile(bm25Ms, 99), 3), target: '< 5 ms', 'right first': right((q) => ownIndex.rank(q)[0]?.id) },
    { what: 'baseline: naive substring scorer, per query', 'p50 ms': round(percentile(naiveMs, 50), 3), 'p99 ms': round(percentile(naiveMs, 99), 3), target: '', 'right first': right(ownNaive) },
  ];
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'svp-runbooks-bench-'));
  try {
    writeRunbooks(dir);
    printTable(`Runbooks: loading ${COUNT} files, ${LOAD_ROUNDS} rounds`, loadBench(dir));
    printTable(`Triage: ${QUERIES.length} phrasings × ${TRIAGE_ROUNDS} rounds`, triageBench(loadRunbooks(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
