/**
 * Debugging AI Query Issues (RUNBOOK.md): intent, RAG, Cognee, confidence and the
 * profile breakdown, asked in parallel; the slowest stage named; and the rows of the
 * runbook's Optimization Actions and Common Issues tables that the answers match.
 */
import { SvpError, type SvpClient } from '../svp/client.js';
import type { EndpointData, EndpointName } from '../svp/endpoints.js';

/** A row of the runbook's Optimization Actions table; `stage` is its /debug/profile key. */
export interface OptimizationAction {
  bottleneck: string;
  action: string;
  improvement: string;
  stage?: string;
  overMs?: number;
}

const CACHE_MISS_ROW: OptimizationAction = { bottleneck: 'Cache miss rate > 50%', action: 'Increase cache size, TTL', improvement: '2x speedup' };

export const OPTIMIZATION_ACTIONS: OptimizationAction[] = [
  { bottleneck: 'Cognee query > 500ms', action: 'Add graph indexes, optimize traversal', improvement: '50% reduction', stage: 'cognee_query', overMs: 500 },
  { bottleneck: 'RAG retrieval > 200ms', action: 'Reindex ChromaDB, reduce top-k', improvement: '30% reduction', stage: 'rag_retrieval', overMs: 200 },
  { bottleneck: 'LLM generation > 500ms', action: 'Check Groq API, reduce max_tokens', improvement: '20% reduction', stage: 'llm_generation', overMs: 500 },
  CACHE_MISS_ROW,
];

/** A row of the Common Issues table of "Debugging AI Query Issues". */
export interface CommonIssue {
  symptom: string;
  rootCause: string;
  fix: string;
  /** The bot's command for the fix, where there is one. */
  command?: string;
}

export const COMMON_ISSUES: Record<'lowConfidence' | 'wrongAnswer' | 'missingSources' | 'slowResponse', CommonIssue> = {
  lowConfidence: { symptom: 'Low confidence (< 0.5)', rootCause: 'Stale data', fix: 'Re-ingest products', command: '/svp cognee ingest products' },
  wrongAnswer: { symptom: 'Wrong answer', rootCause: 'Intent misclassified', fix: 'Update intent rules' },
  missingSources: { symptom: 'Missing sources', rootCause: 'Entity not in graph', fix: 'Check Cognee ingestion', command: '/svp cognee diagnostics' },
  slowResponse: { symptom: 'Slow response (> 3s)', rootCause: 'Large graph traversal', fix: 'Optimize query or add caching' },
};

const LOW_CONFIDENCE = 0.5;
const SLOW_RESPONSE_MS = 3000;
const CACHE_MISS_RATE = 0.5;
/** The runbook gives no figure for a doubtful intent; below this the classifier is unsure. */
const UNSURE_INTENT = 0.7;

/** One SVP call of the debug run: its answer, or why there is none. */
export interface Probe<T> {
  endpoint: EndpointName;
  latencyMs: number;
  data?: T;
  error?: string;
}

export interface Finding {
  table: 'Optimization Actions' | 'Common Issues';
  /** The table row, quoted: its cells joined with " | ". */
  row: string;
  /** What was seen that matches the row. */
  observed: string;
  command?: string;
}

export interface Slowest {
  stage: string;
  ms: number;
  /** 'profile' from SVP's own breakdown; 'measured' from the bot's timing of the calls. */
  source: 'profile' | 'measured';
  /** The Optimization Actions row for this stage, and whether its threshold is passed. */
  row?: OptimizationAction;
  over: boolean;
}

export interface DebugReport {
  question: string;
  productId?: string;
  target: string;
  intent: Probe<EndpointData<'debugIntent'>>;
  rag: Probe<EndpointData<'debugRag'>>;
  cognee: Probe<EndpointData<'debugCognee'>>;
  confidence: Probe<EndpointData<'debugConfidence'>>;
  profile: Probe<EndpointData<'debugProfile'>>;
  cache: Probe<EndpointData<'cacheStats'>>;
  slowest?: Slowest;
  findings: Finding[];
}

async function probe<N extends EndpointName>(svp: SvpClient, endpoint: N, body?: unknown): Promise<Probe<EndpointData<N>>> {
  const started = performance.now();
  try {
    const { data, latencyMs } = await svp.call(endpoint, { body });
    return { endpoint, latencyMs, data };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    return { endpoint, latencyMs, error: err instanceof SvpError ? err.userMessage : `failed: ${(err as Error).message}` };
  }
}

export async function debugQuery(svp: SvpClient, question: string, productId?: string): Promise<DebugReport> {
  const product = productId ? { product_id: productId } : {};
  const [intent, rag, cognee, confidence, profile, cache] = await Promise.all([
    probe(svp, 'debugIntent', { query: question }),
    probe(svp, 'debugRag', { query: question, ...product }),
    probe(svp, 'debugCognee', { query: question, ...product }),
    probe(svp, 'debugConfidence', product),
    probe(svp, 'debugProfile', { query: question, enable_profiling: true }),
    probe(svp, 'cacheStats'),
  ]);
  const report: DebugReport = { question, productId, target: svp.target, intent, rag, cognee, confidence, profile, cache, findings: [] };
  report.slowest = slowestStage(report);
  report.findings = findingsOf(report);
  return report;
}

/** Calls that time a stage themselves, for when the profile is missing. */
const MEASURED_STAGES: Array<['intent' | 'rag' | 'cognee' | 'confidence', string]> = [
  ['intent', 'intent_classification'],
  ['rag', 'rag_retrieval'],
  ['cognee', 'cognee_query'],
  ['confidence', 'confidence_scoring'],
];

/** The bottleneck: the largest entry of the profile breakdown, else the slowest call. */
export function slowestStage(r: Pick<DebugReport, 'profile' | 'intent' | 'rag' | 'cognee' | 'confidence'>): Slowest | undefined {
  const breakdown = Object.entries(r.profile.data?.breakdown ?? {}).filter(([, ms]) => Number.isFinite(ms));
  const source = breakdown.length ? 'profile' : 'measured';
  const timings = breakdown.length ? breakdown : MEASURED_STAGES.filter(([key]) => !r[key].error).map(([key, stage]): [string, number] => [stage, r[key].latencyMs]);
  const top = timings.reduce<[string, number] | undefined>((best, t) => (!best || t[1] > best[1] ? t : best), undefined);
  if (!top) return undefined;
  const [stage, ms] = top;
  const row = OPTIMIZATION_ACTIONS.find((a) => a.stage === stage);
  return { stage, ms, source, row, over: row?.overMs !== undefined && ms > row.overMs };
}

const quoteAction = (a: OptimizationAction) => `${a.bottleneck} | ${a.action} | ${a.improvement}`;
const quoteIssue = (i: CommonIssue) => `${i.symptom} | ${i.rootCause} | ${i.fix}`;

/** Every table row the answers match, Optimization Actions first. */
export function findingsOf(r: Omit<DebugReport, 'findings'>): Finding[] {
  const findings: Finding[] = [];
  const optimization = (a: OptimizationAction, observed: string) => findings.push({ table: 'Optimization Actions', row: quoteAction(a), observed });
  const issue = (i: CommonIssue, observed: string) => findings.push({ table: 'Common Issues', row: quoteIssue(i), observed, command: i.command });

  const breakdown = r.profile.data?.breakdown ?? {};
  for (const a of OPTIMIZATION_ACTIONS) {
    const ms = a.stage ? breakdown[a.stage] : undefined;
    if (ms !== undefined && a.overMs !== undefined && ms > a.overMs) optimization(a, `${a.stage} took ${Math.round(ms)} ms`);
  }
  const { slowest } = r;
  if (slowest?.source === 'measured' && slowest.over && slowest.row) {
    optimization(slowest.row, `the ${slowest.stage} call took ${Math.round(slowest.ms)} ms (timed by the bot: no profile)`);
  }
  const hitRate = r.cache.data?.cache_hit_rate;
  if (hitRate !== undefined && 1 - hitRate > CACHE_MISS_RATE) optimization(CACHE_MISS_ROW, `cache miss rate ${Math.round((1 - hitRate) * 100)}%`);

  const overall = r.confidence.data?.overall;
  if (overall !== undefined && overall < LOW_CONFIDENCE) issue(COMMON_ISSUES.lowConfidence, `overall confidence ${overall.toFixed(2)}`);
  const intentConfidence = r.intent.data?.confidence;
  if (intentConfidence !== undefined && intentConfidence < UNSURE_INTENT) {
    issue(COMMON_ISSUES.wrongAnswer, `intent "${r.intent.data?.intent ?? 'unknown'}" at confidence ${intentConfidence.toFixed(2)}`);
  }
  const chunks = r.rag.data?.chunks?.length;
  const entities = r.cognee.data?.entities?.length;
  if (chunks === 0 || entities === 0) {
    issue(COMMON_ISSUES.missingSources, [chunks === 0 ? 'RAG retrieved no chunks' : '', entities === 0 ? 'Cognee found no entities' : ''].filter(Boolean).join(' and '));
  }
  const total = r.profile.data?.total_time_ms;
  if (total !== undefined && total > SLOW_RESPONSE_MS) issue(COMMON_ISSUES.slowResponse, `total ${Math.round(total)} ms`);
  return findings;
}
