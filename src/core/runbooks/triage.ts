/**
 * Free-text triage: which runbooks match "users say the AI is sluggish"? A deterministic
 * BM25 ranking over each runbook's title, symptoms and summary; optionally reranked by
 * an LLM (Groq), whose answer is validated and may only reorder existing runbooks. When
 * the LLM is down, slow or talks nonsense, the deterministic ranking stands.
 */
import { chat, type GroqOptions } from '../../llm/groq.js';
import { z } from 'zod';
import type { Runbook } from './schema.js';

export interface Match {
  id: string;
  title: string;
  summary: string;
  score: number;
}

export interface TriageResult {
  matches: Match[];
  ranking: 'deterministic' | 'llm';
  /** The LLM's one-sentence reason for its order. */
  explanation?: string;
  /** Why an LLM ranking was asked for but not used. */
  fallback?: string;
}

const STOPWORDS = new Set(
  'a an and are as at be been but by can do does for from has have how i in into is it its my of on or our so that the their them there these they this to too was we were what when where which while who why will with you your not no very all any some get got just seem seems keep keeps'.split(' '),
);

/** Everyday words for the runbook's own (a value may be several words); applied to queries and runbooks alike. */
const SYNONYMS: Record<string, string> = {
  sluggish: 'slow', laggy: 'slow', lag: 'slow', lagging: 'slow', latency: 'slow', crawling: 'slow', forever: 'slow',
  ram: 'memory', oom: 'memory', leak: 'memory',
  processor: 'cpu', cores: 'cpu',
  overloaded: 'overload', saturated: 'overload', queue: 'overload', queued: 'overload',
  '5xx': '500 error', '500s': '500 error', exceptions: 'error',
  timeouts: 'timeout', timing: 'timeout', hang: 'timeout', hanging: 'timeout',
  outage: 'down', unreachable: 'down', offline: 'down',
  revert: 'rollback', undo: 'rollback',
  release: 'deployment', deploy: 'deployment', deployed: 'deployment', shipped: 'deployment',
  ingest: 'ingestion', ingesting: 'ingestion',
  hallucinating: 'wrong', incorrect: 'wrong', inaccurate: 'wrong',
  outdated: 'stale',
  show: 'appear', visible: 'appear',
};

/** Strips common endings so "errors", "erroring" and "error" meet (and "duplicates" and "duplicate"). */
function stem(word: string): string {
  let w = word;
  for (const [suffix, replacement] of [['ies', 'y'], ['ing', ''], ['ed', ''], ['s', '']] as const) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  return w.length > 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9%]+/)
    .flatMap((w) => (SYNONYMS[w] ?? w).split(' '))
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

const K1 = 1.2;
const B = 0.75;
/** A word in a title says more than one in a symptom, which says more than one in a summary. */
const FIELD_WEIGHTS = { title: 3, symptoms: 2, summary: 1 } as const;

interface Doc {
  runbook: Runbook;
  terms: Map<string, number>;
  length: number;
}

export class TriageIndex {
  private readonly docs: Doc[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(runbooks: readonly Runbook[]) {
    this.docs = runbooks.map((runbook) => {
      const terms = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const t of tokenize(text)) terms.set(t, (terms.get(t) ?? 0) + weight);
      };
      add(runbook.title, FIELD_WEIGHTS.title);
      for (const s of runbook.symptoms) add(s, FIELD_WEIGHTS.symptoms);
      add(runbook.summary, FIELD_WEIGHTS.summary);
      const length = [...terms.values()].reduce((a, b) => a + b, 0);
      return { runbook, terms, length };
    });
    for (const doc of this.docs) for (const term of doc.terms.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    this.averageLength = this.docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Best first; only runbooks that share at least one word with the text. Ties keep file order. */
  rank(text: string, limit = 3): Match[] {
    const query = [...new Set(tokenize(text.slice(0, 500)))];
    const n = this.docs.length;
    const scored = this.docs.map((doc) => {
      let score = 0;
      for (const term of query) {
        const tf = doc.terms.get(term);
        if (!tf) continue;
        const df = this.documentFrequency.get(term)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / this.averageLength));
      }
      return { id: doc.runbook.id, title: doc.runbook.title, summary: doc.runbook.summary, score: Math.round(score * 100) / 100 };
    });
    return scored
      .filter((m) => m.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
}

const CANDIDATES = 5;
const SHOWN = 3;

/** Ranks `text`; with Groq options, asks the LLM to reorder the top candidates. */
export async function triage(index: TriageIndex, runbooks: ReadonlyMap<string, Runbook>, text: string, groq?: GroqOptions): Promise<TriageResult> {
  const candidates = index.rank(text, CANDIDATES);
  const deterministic: TriageResult = { matches: candidates.slice(0, SHOWN), ranking: 'deterministic' };
  if (!groq || candidates.length < 2) return deterministic;
  try {
    const answer = await rerank(text, candidates.map((c) => runbooks.get(c.id)!), groq);
    const order = [...answer.ranking, ...candidates.map((c) => c.id).filter((id) => !answer.ranking.includes(id))];
    const matches = order.map((id) => candidates.find((c) => c.id === id)!).slice(0, SHOWN);
    return { matches, ranking: 'llm', explanation: answer.explanation };
  } catch (err) {
    return { ...deterministic, fallback: reasonOf(err) };
  }
}

const Answer = z.object({
  ranking: z.array(z.string()).min(1).max(CANDIDATES),
  explanation: z.string().trim().min(1).max(300).refine((s) => !s.includes('\n'), 'one sentence, one line'),
});

class NonsenseError extends Error {}

async function rerank(text: string, candidates: Runbook[], opts: GroqOptions): Promise<z.output<typeof Answer>> {
  const list = candidates.map((r) => ({ id: r.id, title: r.title, symptoms: r.symptoms }));
  const content = await chat(opts, {
    system:
      'You triage incidents of an AI service. Order the candidate runbooks by how well they match the reported symptoms. ' +
      'Answer only JSON: {"ranking": [runbook ids, best first, only ids from the candidates], "explanation": "one sentence"}.',
    user: JSON.stringify({ symptoms: text.slice(0, 500), candidates: list }),
    temperature: 0,
    maxTokens: 300,
    json: true,
  });
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new NonsenseError('its answer was not JSON');
  }
  const parsed = Answer.safeParse(json);
  if (!parsed.success) throw new NonsenseError('its answer did not have the expected shape');
  const ids = new Set(candidates.map((c) => c.id));
  const ranking = parsed.data.ranking;
  if (ranking.some((id) => !ids.has(id)) || new Set(ranking).size !== ranking.length) throw new NonsenseError('it named runbooks that are not candidates');
  return parsed.data;
}

function reasonOf(err: unknown): string {
  if (err instanceof NonsenseError) return `the AI reranking was ignored: ${err.message}`;
  const e = err as { name?: string; status?: number; message?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || /timed? ?out|abort/i.test(e.message ?? '')) return 'the AI reranking timed out';
  if (e.status) return `the AI reranking failed (Groq answered ${e.status})`;
  return 'the AI reranking is unavailable (Groq could not be reached)';
}
