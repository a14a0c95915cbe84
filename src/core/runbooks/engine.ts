/**
 * A run of a runbook as plain data, and its state machine. Each transition is a pure
 * function of the run (skip, wait at a gate, apply a step's outcome, finish), so the
 * service can apply it to the freshest stored copy. Only executeStep does I/O: it calls
 * SVP, evaluates a check, or posts a notification, and returns the step's outcome.
 */
import type { MessageRef } from '../../app/command.js';
import { OpsError } from '../../errors.js';
import { SvpError, type SvpClient } from '../../svp/client.js';
import { endpoints, type Endpoint } from '../../svp/endpoints.js';
import { untrusted } from '../message.js';
import { parseMetrics } from '../metrics.js';
import { formatDuration } from '../alerts/duration.js';
import { evaluate, explain, parseCondition, type Expr, type Value } from './conditions.js';
import { extractValue, fill, lookupIn, placeholdersIn, type Figures } from './figures.js';
import { gateOf, type Gate, type PlannedStep } from './plan.js';
import type { HttpStep, WaitStep } from './schema.js';

export type RunState = 'running' | 'waiting' | 'paused' | 'done' | 'cancelled';
export type StepStatus = 'running' | 'waiting' | 'ok' | 'info' | 'warn' | 'fail' | 'skipped';

export interface StepResult {
  status: StepStatus;
  /** Plain words: what was found, why it was skipped, what it waits for. */
  detail: string;
  at: number;
  /** Who clicked, ticked or confirmed it. */
  by?: string;
  waitingFor?: Gate | 'poll';
  confirmationId?: string;
  /** How many times this step has waited at its gate: each wait is claimed on its own. */
  waits?: number;
  polls?: number;
  nextPollAt?: number;
  deadline?: number;
}

export interface Run {
  id: string;
  runbookId: string;
  title: string;
  inputs: Record<string, string>;
  plan: PlannedStep[];
  /** Index in plan of the step to run next. */
  cursor: number;
  state: RunState;
  /** By step key. */
  results: Record<string, StepResult>;
  figures: Figures;
  startedBy: string;
  channelId: string;
  message?: MessageRef;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** The last pause, resume or cancel, and by whom; or its expiry, by nobody. */
  control?: { action: 'paused' | 'resumed' | 'cancelled'; userId: string; at: number } | { action: 'expired'; at: number };
}

export interface StepOutcome {
  result: StepResult;
  /** New figures, named inside the step's scope. */
  figures?: Figures;
}

export type Move = { type: 'finish' } | { type: 'skip'; reason: string } | { type: 'gate'; gate: Exclude<Gate, 'auto'> } | { type: 'execute' } | { type: 'busy'; since: number };

const parsed = new Map<string, Expr>();
/** Conditions were validated at load; parse each once. */
const condition = (text: string): Expr => {
  let expr = parsed.get(text);
  if (!expr) parsed.set(text, (expr = parseCondition(text)));
  return expr;
};

export const currentStep = (run: Run): PlannedStep | undefined => run.plan[run.cursor];

/** What the run should do next, from its results so far. */
export function nextMove(run: Run): Move {
  const planned = currentStep(run);
  if (!planned) return { type: 'finish' };
  for (const guard of planned.guards) {
    const lookup = lookupIn(run.figures, guard.scope);
    const expr = condition(guard.condition);
    const truth = evaluate(expr, lookup);
    if (truth === true) continue;
    const why = explain(expr, shown(lookup));
    if (truth === false) return { type: 'skip', reason: `\`${guard.condition}\` does not hold (${why})` };
    // `when: job_id` reads best as "job_id is not known".
    return { type: 'skip', reason: expr.kind === 'figure' ? why : `\`${guard.condition}\` cannot be decided (${why})` };
  }
  const previous = run.results[planned.key];
  if (previous?.status === 'running') return { type: 'busy', since: previous.at };
  const gate = gateOf(planned.step);
  return gate === 'auto' ? { type: 'execute' } : { type: 'gate', gate };
}

export interface StepIo {
  svp: SvpClient;
  now(): number;
  notify(text: string): Promise<void>;
}

/** Runs the current step once and says how it went. SVP failures are outcomes, not errors. */
export async function executeStep(run: Run, planned: PlannedStep, io: StepIo): Promise<StepOutcome> {
  const { step } = planned;
  const lookup = lookupIn(run.figures, planned.scope);
  const at = io.now();
  switch (step.kind) {
    case 'http':
      return callOutcome(step, await call(step, lookup, io), lookup, at);
    case 'wait':
      return pollOutcome(step, run.results[planned.key], await call(step, lookup, io), lookup, at);
    case 'check': {
      const expr = condition(step.condition);
      const truth = evaluate(expr, lookup);
      const figures = truth === undefined ? {} : { [step.id]: truth };
      const verdict = truth === true ? step.if_true : truth === false ? step.if_false : step.if_unknown;
      if (!verdict) return { result: { status: 'warn', detail: `Cannot tell: ${explain(expr, shown(lookup))}.`, at }, figures };
      return { result: { status: verdict.status, detail: fill(verdict.say, shown(lookup)), at }, figures };
    }
    case 'notify': {
      const text = fill(step.text, shown(lookup));
      await io.notify(text);
      return { result: { status: 'ok', detail: `Posted: ${text}`, at } };
    }
    case 'manual':
      return { result: { status: 'ok', detail: 'Done', at } };
  }
}

/** Text from SVP shown in a message can form no links, mentions or markup. */
const shown = (lookup: (name: string) => Value | undefined) => (name: string) => {
  const v = lookup(name);
  return typeof v === 'string' ? untrusted(v) : v;
};

type CallResult = { ok: true; figures: Figures; summary: string } | { ok: false; figures: Figures; error: string; final: boolean };

async function call(step: HttpStep | WaitStep, lookup: (name: string) => Value | undefined, io: StepIo): Promise<CallResult> {
  const missing = Object.values(step.params ?? {}).flatMap(placeholdersIn).filter((n) => lookup(n) === undefined);
  if (missing.length) return { ok: false, figures: {}, error: `cannot call SVP: ${[...new Set(missing)].join(', ')} not known`, final: true };
  const params = Object.fromEntries(Object.entries(step.params ?? {}).map(([k, v]) => [k, fill(v, lookup)]));
  try {
    const result = await io.svp.call(step.endpoint, { params, body: fillBody(step.body ?? {}, lookup) });
    const endpoint: Endpoint = endpoints[step.endpoint];
    const data = endpoint.body === 'text' ? parseMetrics(String(result.data)) : result.data;
    const figures: Figures = { [`${step.id}.ok`]: true, [`${step.id}.http_status`]: result.status, [`${step.id}.latency_ms`]: result.latencyMs };
    const extracted = Object.entries(step.extract ?? {}).map(([name, path]) => [name, extractValue(data, path)] as const);
    for (const [name, value] of extracted) if (value !== undefined) figures[name] = value;
    const found = extracted.map(([name, v]) => (v === undefined ? `${name} not reported` : `${name} = ${typeof v === 'string' ? `"${untrusted(v.slice(0, 80))}"` : String(v)}`));
    return { ok: true, figures, summary: [`${result.status} in ${result.latencyMs} ms`, ...found].join(' · ') };
  } catch (err) {
    if (!(err instanceof OpsError)) throw err;
    const status = err instanceof SvpError ? err.status : undefined;
    // A 4xx other than 429 will not change by asking again.
    const final = !(err instanceof SvpError) || (status !== undefined && status >= 400 && status < 500 && status !== 429);
    return { ok: false, figures: { [`${step.id}.ok`]: false, ...(status ? { [`${step.id}.http_status`]: status } : {}) }, error: err.userMessage, final };
  }
}

function callOutcome(step: HttpStep | WaitStep, result: CallResult, lookup: (name: string) => Value | undefined, at: number): StepOutcome {
  if (!result.ok) return { result: { status: 'fail', detail: result.error, at }, figures: result.figures };
  if (!step.expect) return { result: { status: 'ok', detail: result.summary, at }, figures: result.figures };
  const expr = condition(step.expect);
  const withNew = (name: string) => result.figures[name] ?? lookup(name);
  const truth = evaluate(expr, withNew);
  if (truth === true) return { result: { status: 'ok', detail: result.summary, at }, figures: result.figures };
  const why = `expected \`${step.expect}\`${truth === undefined ? ', which cannot be decided' : ''} (${explain(expr, shown(withNew))})`;
  return { result: { status: truth === false ? 'fail' : 'warn', detail: `${result.summary} · ${why}`, at }, figures: result.figures };
}

function pollOutcome(step: WaitStep, previous: StepResult | undefined, result: CallResult, lookup: (name: string) => Value | undefined, at: number): StepOutcome {
  const polls = (previous?.polls ?? 0) + 1;
  const deadline = previous?.deadline ?? at + step.timeout;
  const withNew = (name: string) => result.figures[name] ?? lookup(name);
  if (result.ok && evaluate(condition(step.until), withNew) === true) {
    const outcome = callOutcome(step, result, lookup, at);
    return { ...outcome, result: { ...outcome.result, polls, detail: `${outcome.result.detail} · after ${polls} poll${polls > 1 ? 's' : ''}` } };
  }
  if (!result.ok && result.final) return { result: { status: 'fail', detail: result.error, at, polls }, figures: result.figures };
  const progress = result.ok ? result.summary : `poll failed (${result.error}); trying again`;
  if (at + step.every > deadline) {
    return { result: { status: 'fail', detail: `not done after ${formatDuration(step.timeout)} (${polls} polls): ${progress}`, at, polls }, figures: result.figures };
  }
  return { result: { status: 'waiting', waitingFor: 'poll', detail: `poll ${polls}: ${progress}`, at, polls, deadline, nextPollAt: at + step.every }, figures: result.figures };
}

/** Fills a request body; a field that is just the placeholder of an unknown figure (an optional input) is left out. */
function fillBody(value: unknown, lookup: (name: string) => Value | undefined): unknown {
  if (typeof value === 'string') {
    const only = placeholdersIn(value);
    return only.length === 1 && value === `{${only[0]}}` && lookup(only[0]!) === undefined ? undefined : fill(value, lookup);
  }
  if (Array.isArray(value)) return value.map((v) => fillBody(v, lookup)).filter((v) => v !== undefined);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => {
      const filled = fillBody(v, lookup);
      return filled === undefined ? [] : [[k, filled]];
    }));
  }
  return value;
}

// --- Transitions: pure functions from a run to the next run. ---

const FINISHED: StepStatus[] = ['ok', 'info', 'warn', 'fail', 'skipped'];

/** Records a step's outcome; a finished step moves the cursor on. A pause or cancel made meanwhile stands. */
export function applyOutcome(run: Run, outcome: StepOutcome, now: number): Run {
  const planned = currentStep(run)!;
  const figures = { ...run.figures };
  for (const [name, value] of Object.entries(outcome.figures ?? {})) figures[planned.scope + name] = value;
  const finished = FINISHED.includes(outcome.result.status);
  const state: RunState = outcome.result.status === 'waiting' ? 'waiting' : 'running';
  return {
    ...run,
    figures,
    results: { ...run.results, [planned.key]: outcome.result },
    cursor: finished ? run.cursor + 1 : run.cursor,
    state: run.state === 'paused' || run.state === 'cancelled' ? run.state : state,
    updatedAt: now,
  };
}

export const skipStep = (run: Run, reason: string, now: number): Run => applyOutcome(run, { result: { status: 'skipped', detail: reason, at: now } }, now);

const gateWords: Record<Exclude<Gate, 'auto'>, string> = {
  operator: "waits for an operator's click",
  admin: "waits for an admin's confirmation",
  tick: 'waits for a tick when done',
};

export function waitAtGate(run: Run, gate: Exclude<Gate, 'auto'>, confirmationId: string | undefined, now: number): Run {
  const waits = (run.results[currentStep(run)!.key]?.waits ?? 0) + 1;
  return applyOutcome(run, { result: { status: 'waiting', waitingFor: gate, detail: gateWords[gate], at: now, confirmationId, waits } }, now);
}

/**
 * A gated step someone let run: shown as running, by them, until its outcome is in. A run
 * paused or cancelled (or expired) a moment before stays so, and the step does not run.
 */
export function markRunning(run: Run, userId: string, now: number): Run {
  if (run.state === 'paused' || run.state === 'cancelled') return run;
  const planned = currentStep(run)!;
  const previous = run.results[planned.key];
  return { ...run, state: 'running', results: { ...run.results, [planned.key]: { ...previous, status: 'running', detail: 'running', by: userId, at: now } }, updatedAt: now };
}

export function finishRun(run: Run, now: number): Run {
  return { ...run, state: run.state === 'cancelled' ? 'cancelled' : 'done', finishedAt: now, updatedAt: now };
}

/** The worst finished status of the run's steps. */
export function overallStatus(run: Run): 'ok' | 'warn' | 'fail' {
  const statuses = Object.values(run.results).map((r) => r.status);
  return statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'ok';
}
