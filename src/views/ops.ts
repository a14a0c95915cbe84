/** The operational commands' answers (Cognee, cache, sync, jobs, debug, audit) as plain messages. */
import type { AuditEntry } from '../app/audit.js';
import type { DebugReport, Probe } from '../core/debug.js';
import { ingestionFix, type FollowedJob, type JobState } from '../core/jobs.js';
import { BASELINES, classify, type Level } from '../core/metrics.js';
import type { SyncTest, Visibility } from '../core/ops.js';
import { statusEmoji, untrusted, type Message, type Part, type Status } from '../core/message.js';
import { describeEndpoint, type EndpointData, type EndpointName } from '../svp/endpoints.js';
import { stamp } from './health.js';

/** Where an answer came from, for the context line. */
export interface Via {
  endpoint: EndpointName;
  latencyMs: number;
  target: string;
}

const via = (v: Via) => `${describeEndpoint(v.endpoint)} · ${v.latencyMs} ms · ${v.target}`;
const shown = (n: number | undefined, unit = '') => (n === undefined ? 'not reported' : `${n}${unit}`);
const pct = (n: number | undefined) => (n === undefined ? 'not reported' : `${Math.round(n * 100)}%`);
const time = (ms: number) => stamp(new Date(ms));
/** Outside text in a code span: markup is inert there, but a backtick or <…> would break out. */
const code = (text: string) => `\`${text.replace(/[`<>]/g, '').replace(/\s+/g, ' ')}\``;

const channel = (message: Omit<Message, 'visibility'>): Message => ({ ...message, visibility: 'channel' });

/** A mutating step's outcome: what SVP said, and what the runbook does next. */
export function stepMessage(title: string, data: { message?: string }, from: Via, next?: string): Message {
  const said = data.message ? untrusted(data.message) : 'done (no message in the answer)';
  const parts: Part[] = [{ type: 'status', items: [{ status: 'ok', label: title, detail: said }] }];
  if (next) parts.push({ type: 'text', text: next });
  parts.push({ type: 'context', text: via(from) });
  return channel({ text: `${title}: ${untrusted(data.message?.slice(0, 200) ?? 'done')}`, parts });
}

export function cogneeHealthMessage(data: EndpointData<'cogneeHealth'>, from: Via): Message {
  const ready = data.cognee === 'ready' && (data.graph_db === undefined || data.graph_db === 'connected');
  const status: Status = !ready ? 'fail' : data.entities === 0 ? 'warn' : 'ok';
  const detail = `cognee ${untrusted(data.cognee ?? 'not reported')}, graph_db ${untrusted(data.graph_db ?? 'not reported')}, ${shown(data.entities)} entities`;
  return channel({
    text: `Cognee: ${detail}`,
    parts: [
      { type: 'status', items: [{ status, label: 'Cognee', detail: data.entities === 0 ? `${detail} (empty graph: re-ingest products)` : detail }] },
      { type: 'context', text: via(from) },
    ],
  });
}

const CACHE_BASELINE = BASELINES.find((b) => b.key === 'cache_hit_rate')!;
const levelStatus: Record<Level, Status> = { ok: 'ok', warn: 'warn', breach: 'fail', unknown: 'unknown' };

export function cacheStatsMessage(data: EndpointData<'cacheStats'>, from: Via): Message {
  const rate = data.cache_hit_rate;
  const level = classify(CACHE_BASELINE, rate);
  // Slow AI Queries (Issue 1): below 0.3 it is a cold start; the performance guide warms below 0.5.
  const advice = rate === undefined ? 'The hit rate was not reported.' : rate < 0.5 ? `Hit rate below ${rate < 0.3 ? '30% (cold start)' : '50%'}: warm the cache up with \`/svp cognee warm-up\`.` : undefined;
  return channel({
    text: `Cognee cache hit rate ${pct(rate)}, ${shown(data.cache_size)} entries`,
    parts: [
      { type: 'status', items: [{ status: levelStatus[level], label: 'Cache hit rate', detail: `${pct(rate)} · baseline > 60%` }] },
      {
        type: 'fields',
        fields: [
          { label: 'Entries', value: shown(data.cache_size) },
          { label: 'Hit latency', value: shown(data.avg_hit_latency_ms, ' ms') },
          { label: 'Miss latency', value: shown(data.avg_miss_latency_ms, ' ms') },
        ],
      },
      ...(advice ? [{ type: 'text' as const, text: advice }] : []),
      { type: 'context', text: via(from) },
    ],
  });
}

export function diagnosticsMessage(data: EndpointData<'diagnostics'>, from: Via): Message {
  const issues = (data.issues ?? []).slice(0, 20).map((i) => `• ${untrusted(typeof i === 'string' ? i : JSON.stringify(i)).slice(0, 300)}`);
  const clean = data.status === 'ok' && !data.duplicates && !data.orphans;
  const parts: Part[] = [
    { type: 'status', items: [{ status: clean ? 'ok' : 'warn', label: 'Cognee data integrity', detail: untrusted(data.status ?? 'status not reported') }] },
    {
      type: 'fields',
      fields: [
        { label: 'Entities', value: shown(data.entities) },
        { label: 'Relationships', value: shown(data.relationships) },
        { label: 'Orphans', value: shown(data.orphans) },
        { label: 'Duplicates', value: shown(data.duplicates) },
      ],
    },
  ];
  if (issues.length) parts.push({ type: 'text', text: issues.join('\n') });
  // Cognee Errors (Issue 2): duplicate entities are cleared by a reset and a re-ingest.
  if (data.duplicates) parts.push({ type: 'text', text: 'Runbook Issue 2: `/svp cognee reset` (destructive, confirmed), then `/svp cognee ingest products` and `/svp cognee ingest actions`.' });
  parts.push({ type: 'context', text: via(from) });
  return channel({ text: `Cognee diagnostics: ${data.status ?? 'status not reported'}, ${issues.length} issues`, parts });
}

const describeItem = (item: unknown) => {
  if (typeof item !== 'object' || item === null) return untrusted(String(item)).slice(0, 200);
  const { name, type, id } = item as Record<string, unknown>;
  if (name === undefined && id === undefined) return untrusted(JSON.stringify(item)).slice(0, 200);
  return `${untrusted(String(name ?? id))}${type ? ` (${untrusted(String(type))})` : ''}${id !== undefined ? ` · ${code(String(id))}` : ''}`;
};

export function entitiesMessage(data: EndpointData<'entities'>, asked: { type?: string; limit: number }, from: Via): Message {
  const entities = data.entities ?? [];
  const what = asked.type ? `${untrusted(asked.type)} entities` : 'entities';
  return channel({
    text: `Cognee ${what}: ${entities.length} shown of ${shown(data.total)}`,
    parts: [
      { type: 'header', text: `Cognee ${asked.type ? `${asked.type} ` : ''}entities`.slice(0, 150) },
      { type: 'text', text: entities.length ? entities.map((e, i) => `${i + 1}. ${describeItem(e)}`).join('\n') : `No ${what} in the graph.` },
      { type: 'context', text: `${entities.length} shown (limit ${asked.limit}) of ${shown(data.total)} · ${via(from)}` },
    ],
  });
}

export function cogneeQueryMessage(question: string, data: EndpointData<'cogneeQuery'>, from: Via): Message {
  const results = data.results ?? [];
  return channel({
    text: `Cognee query: ${results.length} results`,
    parts: [
      { type: 'text', text: `*Q:* ${untrusted(question)}` },
      { type: 'text', text: results.length ? results.slice(0, 30).map((r, i) => `${i + 1}. ${describeItem(r)}`).join('\n') : data.results ? 'No results.' : 'The answer had no `results` field.' },
      { type: 'context', text: via(from) },
    ],
  });
}

const jobStatus: Record<JobState, Status> = { running: 'pending', completed: 'ok', failed: 'fail', timed_out: 'warn' };
const jobLabel: Record<JobState, string> = { running: 'Running', completed: 'Completed', failed: 'Failed', timed_out: 'Timed out' };
const jobTitle = { products: 'Cognee ingestion: products', actions: 'Cognee ingestion: actions', sync: 'Full sync of all products', unknown: 'SVP job' };

const bar = (p: number) => `${'█'.repeat(Math.round(p * 10))}${'░'.repeat(10 - Math.round(p * 10))} ${Math.round(p * 100)}%`;

/** A followed job: one message, updated until the job ends. */
export function jobMessage(job: FollowedJob): Message {
  const detail = [job.progress !== undefined && job.state !== 'failed' ? bar(job.progress) : '', job.detail ? untrusted(job.detail) : ''].filter(Boolean).join(' · ') || 'no progress reported yet';
  const parts: Part[] = [
    { type: 'header', text: `${jobTitle[job.type]}${job.label ? ` (${job.label})` : ''}`.slice(0, 150) },
    { type: 'status', items: [{ status: jobStatus[job.state], label: jobLabel[job.state], detail }] },
  ];
  if (job.pollError) parts.push({ type: 'text', text: `:warning: Last status check failed: ${job.pollError} — still following.` });
  const fix = job.state === 'failed' ? ingestionFix(job.detail) : undefined;
  if (fix) parts.push({ type: 'text', text: `Runbook (Debugging Cognee Ingestion): ${fix}.` });
  // Cognee Errors (Issue 2), step 3: products first, then actions, then verify.
  if (job.state === 'completed' && job.type === 'products') parts.push({ type: 'text', text: 'Next: `/svp cognee ingest actions`, then `/svp cognee diagnostics`.' });
  const end = job.finishedAt ? ` · finished ${time(job.finishedAt)}` : job.state === 'running' ? ' · polled every 5 s until it ends (at most 30 min)' : '';
  parts.push({ type: 'context', text: `job_id ${code(job.jobId)} · requested by <@${job.startedBy}> at ${time(job.startedAt)}${end}` });
  return channel({ text: `${jobTitle[job.type]} ${untrusted(job.jobId)}: ${jobLabel[job.state].toLowerCase()}`, parts });
}

export function visibilityMessage(v: Visibility, target: string, heading?: Part): Message {
  const verdict = v.visible ? `The AI knows *${untrusted(v.product)}*.` : `The AI does not know *${untrusted(v.product)}*.`;
  return channel({
    text: `${untrusted(v.product)}: ${v.visible ? 'visible' : 'not visible'} to AI queries`,
    parts: [
      ...(heading ? [heading] : []),
      { type: 'status', items: [{ status: v.visible ? 'ok' : 'fail', label: 'Visible to AI queries', detail: verdict }] },
      { type: 'text', text: `> ${untrusted(v.answer ?? 'no answer field in the response').slice(0, 500)}` },
      { type: 'context', text: `POST /ai/query "Tell me about …" · confidence ${v.confidence?.toFixed(2) ?? 'not reported'} · ${v.latencyMs} ms · ${target}` },
    ],
  });
}

export function syncTestMessage(result: SyncTest, target: string): Message {
  const webhook: Part = { type: 'status', items: [{ status: 'ok', label: 'Test webhook accepted', detail: `${untrusted(result.webhook.message ?? 'no message')} · ${result.webhook.latencyMs} ms` }] };
  const message = visibilityMessage(result.visibility, target, webhook);
  const verdict = result.visibility.visible ? 'The sync worked.' : 'The sync failed: the product did not reach the AI. Runbook step 4: a full sync with `/svp sync ingest` (destructive, confirmed).';
  return { ...message, text: `Sync test: ${verdict}`, parts: [{ type: 'header', text: 'Webhook sync test' }, ...message.parts, { type: 'text', text: `*${verdict}*` }] };
}

function stage<T>(label: string, p: Probe<T>, judge: (d: T) => { status: Status; detail: string }) {
  if (!p.data) return { status: 'fail' as Status, label, detail: p.error ?? 'no answer' };
  const { status, detail } = judge(p.data);
  return { status, label, detail: `${detail} · ${p.latencyMs} ms` };
}

const score = (n: number | undefined) => (n === undefined ? 'n/a' : n.toFixed(2));

export function debugMessage(r: DebugReport): Message {
  const items = [
    stage('Intent', r.intent, (d) => ({ status: (d.confidence ?? 1) < 0.7 ? 'warn' : 'ok', detail: `"${untrusted(d.intent ?? 'not reported')}" at ${score(d.confidence)}, route ${untrusted(d.route ?? 'n/a')}` })),
    stage('RAG', r.rag, (d) => ({ status: d.chunks?.length ? 'ok' : 'warn', detail: `${shown(d.chunks?.length)} chunks, relevance ${d.relevance_scores?.map(score).join(', ') || 'n/a'}` })),
    stage('Cognee', r.cognee, (d) => ({ status: d.entities?.length ? 'ok' : 'warn', detail: `${shown(d.entities?.length)} entities, ${shown(d.relationships?.length)} relationships` })),
    stage('Confidence', r.confidence, (d) => ({ status: (d.overall ?? 1) < 0.5 ? 'warn' : 'ok', detail: `overall ${score(d.overall)} (freshness ${score(d.freshness)}, reliability ${score(d.reliability)}, grounding ${score(d.grounding)}, coherence ${score(d.coherence)})` })),
    stage('Profile', r.profile, (d) => ({ status: 'info', detail: `total ${shown(d.total_time_ms, ' ms')}` })),
    stage('Cache', r.cache, (d) => ({ status: levelStatus[classify(CACHE_BASELINE, d.cache_hit_rate)], detail: `hit rate ${pct(d.cache_hit_rate)}` })),
  ];
  const s = r.slowest;
  const slowest = !s
    ? 'Slowest stage: unknown (no profile and no timed stage answered).'
    : `*Slowest stage:* ${code(s.stage)} — ${Math.round(s.ms)} ms${s.source === 'measured' ? ' (timed by the bot: the profile failed)' : ''}` +
      (s.row ? (s.over ? ` — over the runbook's "${s.row.bottleneck}".` : ` — within the runbook's "${s.row.bottleneck}".`) : '.');
  // The rows are the runbook's own text (with its < and >), quoted as they stand.
  const fixes = r.findings.map((f) => `• ${f.table}: \`${f.row}\` — seen: ${untrusted(f.observed)}${f.command ? ` → ${code(f.command)}` : ''}`);
  const breakdown = Object.entries(r.profile.data?.breakdown ?? {}).sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${untrusted(k)} ${Math.round(ms)} ms`);
  return channel({
    text: `Debug: slowest stage ${untrusted(s?.stage ?? 'unknown')}; ${r.findings.length} runbook fixes match`,
    parts: [
      { type: 'header', text: 'Debugging an AI query' },
      { type: 'text', text: `*Q:* ${untrusted(r.question)}${r.productId ? ` · product ${code(r.productId)}` : ''}` },
      { type: 'status', items },
      { type: 'text', text: slowest + (breakdown.length ? `\n${breakdown.join(' · ')}` : '') },
      { type: 'text', text: fixes.length ? `*Matching runbook fixes:*\n${fixes.join('\n')}` : 'No row of the runbook\'s Optimization Actions or Common Issues tables matches.' },
      { type: 'context', text: `POST /debug/intent, /debug/rag, /debug/cognee, /debug/confidence, /debug/profile and GET /cognee/cache/stats in parallel · ${r.target}` },
    ],
  });
}

const outcomeMark: Record<AuditEntry['outcome'], string> = { ok: statusEmoji.ok, failed: statusEmoji.fail, refused: ':no_entry:', requested: statusEmoji.pending };
const mention = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : untrusted(id));
const channelRef = (id: string) => (/^[CGD][A-Z0-9]+$/.test(id) ? `<#${id}>` : untrusted(id));

export function auditMessage(entries: AuditEntry[], asked: number): Message {
  const lines = entries.map((e) => {
    const args = e.args ? ` ${e.args.slice(0, 80)}` : '';
    const detail = e.detail ? ` — ${untrusted(e.detail).slice(0, 160)}` : '';
    const took = e.durationMs !== undefined ? ` · ${e.durationMs} ms` : '';
    return `${outcomeMark[e.outcome]} ${time(e.at).slice(5)} · ${mention(e.userId)} · ${code(e.action + args)} in ${channelRef(e.channelId)} · *${e.outcome}*${detail}${took}`;
  });
  return {
    text: `Audit log: the last ${entries.length} actions`,
    visibility: 'ephemeral',
    parts: [
      { type: 'header', text: 'Audit log' },
      { type: 'text', text: lines.length ? lines.join('\n') : 'Nothing recorded yet.' },
      { type: 'context', text: `Newest first · ${entries.length} of the last ${asked} asked · every mutating or destructive attempt, allowed or refused` },
    ],
  };
}
