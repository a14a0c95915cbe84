/** Runbooks, runs, dry-run plans and triage results as plain messages. */
import type { Button, ConfirmDialog, Message, Part, Status } from '../core/message.js';
import { untrusted } from '../core/message.js';
import type { Run, StepResult } from '../core/runbooks/engine.js';
import { currentStep, overallStatus } from '../core/runbooks/engine.js';
import { fill, lookupIn } from '../core/runbooks/figures.js';
import { callOf, gateOf, type Gate, type PlannedStep } from '../core/runbooks/plan.js';
import type { Runbook } from '../core/runbooks/schema.js';
import type { TriageResult } from '../core/runbooks/triage.js';
import type { Effect } from '../app/command.js';

const effectWords: Record<Effect, string> = { read: 'read only', mutate: 'has mutating steps', destructive: 'has destructive steps' };

export function runbookListMessage(items: { runbook: Runbook; effect: Effect }[]): Message {
  const lines = items.map(({ runbook, effect }) => `*${runbook.title}* \`${runbook.id}\` — ${runbook.summary} _(${runbook.severity}, ${effectWords[effect]})_`);
  return {
    text: `${items.length} runbooks: ${items.map((i) => i.runbook.id).join(', ')}`,
    parts: [
      { type: 'header', text: `Runbooks (${items.length})` },
      { type: 'text', text: lines.join('\n') },
      { type: 'context', text: 'Start one: `/svp runbook <id>` · see its plan first: `/svp runbook <id> --dry-run` · or describe the symptoms: `/svp users say queries are slow`' },
    ],
    visibility: 'ephemeral',
  };
}

const gateWords: Record<Gate, string> = {
  auto: 'runs by itself',
  operator: "needs an operator's click",
  admin: "needs an admin's confirmation",
  tick: 'a person does it and ticks it',
};

export function planMessage(runbook: Runbook, plan: PlannedStep[]): Message {
  const lines = plan.map((p, i) => {
    const call = callOf(p.step);
    const when = p.guards.length ? ` · only when ${p.guards.map((g) => `\`${g.condition}\``).join(' and ')}` : '';
    return `${i + 1}. ${stepLabel(p)} — ${call ? `\`${call}\` · ` : `${p.step.kind} · `}${gateWords[gateOf(p.step)]}${when}`;
  });
  const count = (gate: Gate) => plan.filter((p) => gateOf(p.step) === gate).length;
  const calls = plan.filter((p) => callOf(p.step)).length;
  const summary = `${calls} calls to SVP; ${count('operator')} need an operator's click, ${count('admin')} an admin's confirmation, ${count('tick')} a person's tick.`;
  return {
    text: `Dry run of ${runbook.title}: ${summary}`,
    parts: [
      { type: 'header', text: `Dry run: ${runbook.title}` },
      { type: 'text', text: `Nothing was called. ${summary}` },
      { type: 'text', text: lines.join('\n') },
      ...background(runbook),
      { type: 'actions', buttons: [{ label: 'Start this runbook', actionId: 'runbook.start', value: runbook.id, style: 'primary' }] },
    ],
    visibility: 'ephemeral',
  };
}

/** The runbook's severity hint, root causes and prevention, where it has them. */
function background(runbook: Runbook): Part[] {
  const fields = [
    { label: 'Severity hint', value: runbook.severity },
    ...(runbook.root_causes.length ? [{ label: 'Root causes', value: runbook.root_causes.map((c) => `• ${c}`).join('\n') }] : []),
    ...(runbook.prevention.length ? [{ label: 'Prevention', value: runbook.prevention.map((p) => `• ${p}`).join('\n') }] : []),
  ];
  return [{ type: 'fields', fields }];
}

const statusOf: Record<StepResult['status'], Status> = { ok: 'ok', info: 'info', warn: 'warn', fail: 'fail', skipped: 'skipped', waiting: 'pending', running: 'pending' };

const stepLabel = (p: PlannedStep) => (p.within ? `${p.within} › ${p.step.title}` : p.step.title);
const time = (ms: number) => new Date(ms).toISOString().slice(11, 16) + ' UTC';

export function runMessage(run: Run): Message {
  const items = run.plan.map((p) => {
    const result = run.results[p.key];
    if (!result) return { status: 'unknown' as Status, label: stepLabel(p), detail: 'to do' };
    const by = result.by ? ` · <@${result.by}>` : '';
    return { status: statusOf[result.status], label: stepLabel(p), detail: `${result.detail}${by}` };
  });
  const parts: Part[] = [
    { type: 'header', text: `Runbook: ${run.title}` },
    { type: 'status', items },
  ];
  const planned = currentStep(run);
  const waiting = planned && run.results[planned.key];
  const next = planned && waiting && run.state === 'waiting' ? nextStep(run, planned, waiting) : { parts: [], buttons: [] };
  const buttons = [...next.buttons, ...controlButtons(run)];
  parts.push(...next.parts, ...(buttons.length ? [{ type: 'actions' as const, buttons }] : []));
  const inputs = Object.entries(run.inputs).map(([k, v]) => `${k} = ${untrusted(v)}`).join(', ');
  parts.push({ type: 'context', text: [stateLine(run), `started by <@${run.startedBy}> at ${time(run.createdAt)}`, inputs, `run ${run.id.slice(0, 8)}`].filter(Boolean).join(' · ') });
  return { text: `${run.title}: ${stateLine(run)}`, parts, visibility: 'channel' };
}

function stateLine(run: Run): string {
  const counts = Object.values(run.results).reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  const tally = ['ok', 'info', 'warn', 'fail', 'skipped'].filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ');
  const who = run.control && 'userId' in run.control ? ` by <@${run.control.userId}>` : '';
  switch (run.state) {
    case 'done':
      return `${{ ok: ':large_green_circle: Done', warn: ':large_yellow_circle: Done with warnings', fail: ':red_circle: Done with failures' }[overallStatus(run)]}: ${tally}`;
    case 'cancelled':
      if (run.control?.action === 'expired') return `Expired after a day with no one acting: ${tally || 'nothing ran'}; \`/svp runbook ${run.runbookId}\` starts it afresh`;
      return `Cancelled${who}: ${tally || 'nothing ran'}`;
    case 'paused':
      return `Paused${who} at step ${run.cursor + 1} of ${run.plan.length}`;
    case 'waiting':
      return `Waiting at step ${run.cursor + 1} of ${run.plan.length}`;
    case 'running':
      return `Running step ${run.cursor + 1} of ${run.plan.length}`;
  }
}

/** What the waiting step needs, and the button or checkbox that gives it. */
function nextStep(run: Run, planned: PlannedStep, waiting: StepResult): { parts: Part[]; buttons: Button[] } {
  const value = `${run.id}|${planned.key}`;
  const call = callOf(planned.step) ? ` (\`${callOf(planned.step)}\`)` : '';
  switch (waiting.waitingFor) {
    case 'operator':
      return {
        parts: [{ type: 'text', text: `*Next:* ${planned.step.title}${call} changes SVP: an operator (SVP_OPERATORS) or admin runs it.` }],
        buttons: [{ label: `Run: ${planned.step.title}`, actionId: 'runbook.step', value, style: 'primary' }],
      };
    case 'admin':
      return {
        parts: [{ type: 'text', text: `*Next:* ${planned.step.title}${call} is destructive: an admin confirms it in the thread, within 5 minutes.` }],
        buttons: [{ label: 'Ask for a new confirmation', actionId: 'runbook.step', value }],
      };
    case 'tick': {
      const step = planned.step.kind === 'manual' ? planned.step : undefined;
      const instructions = step ? fill(step.instructions, shownFigures(run, planned.scope)) : '';
      const links = step?.links?.map((l) => `<${l.url}|${l.label}>`).join(' · ');
      const who = planned.step.effect === 'read' ? '' : planned.step.effect === 'mutate' ? ' (an operator ticks it)' : ' (an admin ticks it)';
      return {
        parts: [
          { type: 'text', text: `*Next, by hand${who}:* ${planned.step.title}\n${instructions}${links ? `\n${links}` : ''}` },
          {
            type: 'checklist',
            id: 'manual',
            actionId: 'runbook.tick',
            items: [{ id: value, label: `Done: ${planned.step.title}`.slice(0, 75), done: false }],
            ...(planned.step.effect === 'read' ? {} : { confirm: doneDialog(planned.step.title, planned.step.effect === 'destructive') }),
          },
        ],
        buttons: [],
      };
    }
    default:
      return { parts: [{ type: 'text', text: `*Next:* ${planned.step.title}${call}: ${waiting.detail}` }], buttons: [] };
  }
}

/** Ticking a step that changes production says it happened: ask first, as for a button. */
function doneDialog(title: string, destructive: boolean): ConfirmDialog & { danger: boolean } {
  return {
    title: 'Is it done?',
    text: `Tick only once “${title}” is done${destructive ? '; it is destructive and cannot be undone' : ''}. The run goes on from here, and the audit log records you as the one who did it.`,
    confirm: 'It is done',
    deny: 'Not yet',
    danger: destructive,
  };
}

function shownFigures(run: Run, scope: string) {
  const lookup = lookupIn(run.figures, scope);
  return (name: string) => {
    const v = lookup(name);
    return typeof v === 'string' ? untrusted(v) : v;
  };
}

function controlButtons(run: Run): Button[] {
  if (run.state === 'done' || run.state === 'cancelled') return [];
  const pauseOrResume = run.state === 'paused' ? { label: 'Resume', actionId: 'runbook.resume', value: run.id } : { label: 'Pause', actionId: 'runbook.pause', value: run.id };
  return [pauseOrResume, { label: 'Cancel run', actionId: 'runbook.cancel', value: run.id, style: 'danger', confirm: { title: 'Cancel this run?', text: `The run of ${run.title} stops here; steps already run are not undone.`, confirm: 'Cancel the run', deny: 'Keep it' } }];
}

export function triageMessage(query: string, result: TriageResult): Message {
  const lines = result.matches.map((m, i) => `*${i + 1}. ${m.title}* \`${m.id}\` — ${m.summary}`);
  const parts: Part[] = [
    { type: 'header', text: 'Runbooks that match' },
    { type: 'text', text: `For “${untrusted(query.slice(0, 200))}”:\n${lines.join('\n')}` },
  ];
  if (result.explanation) parts.push({ type: 'context', text: `AI ranking: ${untrusted(result.explanation)}` });
  const how = result.fallback ? `:warning: ${result.fallback}; this is the deterministic ranking (BM25 on symptoms and titles).` : result.ranking === 'llm' ? 'Candidates by BM25, ordered by the AI; it suggests, it never runs anything.' : 'Ranked by BM25 on symptoms and titles.';
  parts.push({ type: 'context', text: how });
  parts.push({ type: 'actions', buttons: result.matches.map((m) => ({ label: `Start: ${m.title}`, actionId: 'runbook.start', value: m.id })) });
  return { text: `Matching runbooks: ${result.matches.map((m) => m.title).join(', ')}`, parts, visibility: 'ephemeral' };
}
