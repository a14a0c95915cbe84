/**
 * Figures: the named values a run gathers (what steps extracted from SVP's answers,
 * check results, inputs) and that conditions and texts refer to. A sub-runbook's figures
 * live under its step id (`health.service_status`), so names never collide.
 */
import type { Value } from './conditions.js';
import type { LeafStep, Runbook, Step } from './schema.js';
import { OpsError } from '../../errors.js';
import { ID } from '../../app/args.js';

export type Figures = Record<string, Value>;

/** `{hit_rate}` or `{hit_rate:%}` in texts, params and bodies. */
const PLACEHOLDER = /\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)(:%)?\}/g;

export const placeholdersIn = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);

/** Figures every run has, whatever its steps. */
export const BUILTINS = ['today', 'week_label'] as const;

/** `today` (2026-11-28) and the runbook's time-window label style, `Q4 2026 Week 48`. */
export function builtinFigures(now: number): Figures {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const quarter = Math.floor(date.getUTCMonth() / 3) + 1;
  return { today: date.toISOString().slice(0, 10), week_label: `Q${quarter} ${year} Week ${isoWeek(date)}` };
}

function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/**
 * Looks a name up from inside a scope: `a.b.` tries `a.b.name`, then `a.name`, then
 * `name`, so a sub-runbook reads its own figures first and the run's inputs last.
 */
export function lookupIn(figures: Figures, scope: string): (name: string) => Value | undefined {
  const scopes = scopesOf(scope);
  return (name) => {
    for (const s of scopes) {
      const key = s + name;
      if (Object.hasOwn(figures, key)) return figures[key];
    }
    return undefined;
  };
}

/** 'a.b.' → ['a.b.', 'a.', ''] */
function scopesOf(scope: string): string[] {
  const parts = scope.split('.').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.') + '.').concat('');
}

/** Fills placeholders; an unknown figure reads "unknown". */
export function fill(text: string, lookup: (name: string) => Value | undefined): string {
  return text.replace(PLACEHOLDER, (_, name: string, percent?: string) => {
    const v = lookup(name);
    if (v === undefined) return 'unknown';
    if (percent && typeof v === 'number') return `${+(v * 100).toFixed(2)}%`;
    return typeof v === 'number' ? String(+v.toFixed(4)) : String(v);
  });
}

/** The figures a leaf step adds, by their names inside its scope. */
function figuresOfLeaf(step: LeafStep): string[] {
  switch (step.kind) {
    case 'http':
    case 'wait':
      return [`${step.id}.ok`, `${step.id}.http_status`, `${step.id}.latency_ms`, ...Object.keys(step.extract ?? {})];
    case 'check':
      return [step.id];
    default:
      return [];
  }
}

/** Every figure a step adds, a sub-runbook's included (under the step id). */
export function figuresOfStep(step: Step, resolve: (id: string) => Runbook | undefined, seen = new Set<string>()): string[] {
  if (step.kind !== 'runbook') return figuresOfLeaf(step);
  const sub = resolve(step.runbook);
  if (!sub || seen.has(sub.id)) return [];
  const inner = new Set([...seen, sub.id]);
  return sub.steps.flatMap((s) => figuresOfStep(s, resolve, inner)).map((n) => `${step.id}.${n}`);
}

/** A value found at a dotted path of an answer; arrays give their `length`. */
export function extractValue(data: unknown, path: string): Value | undefined {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (Array.isArray(current) && key === 'length') current = current.length;
    else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  if (typeof current === 'number') return Number.isFinite(current) ? current : undefined;
  if (typeof current === 'string') return current.slice(0, 500);
  return typeof current === 'boolean' ? current : undefined;
}

/** Every string inside a JSON value (a request body), for its placeholders. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The run's inputs: given values checked, defaults filled in (a default may use a
 * built-in figure, e.g. `{week_label}`). An input without a value stays unknown, and
 * the steps that need it are skipped.
 */
export function resolveInputs(runbook: Runbook, given: Record<string, string>, builtins: Figures): Record<string, string> {
  const unknown = Object.keys(given).filter((name) => !runbook.inputs.some((i) => i.name === name));
  if (unknown.length) throw new OpsError('usage', `${runbook.id} has no input ${unknown.join(', ')}${runbook.inputs.length ? `; it takes ${runbook.inputs.map((i) => i.name).join(', ')}` : ''}.`);
  const inputs: Record<string, string> = {};
  for (const input of runbook.inputs) {
    const value = given[input.name] ?? (input.default === undefined ? undefined : fill(input.default, (n) => builtins[n]));
    if (value === undefined) continue;
    if (input.kind === 'id' && !ID.test(value)) throw new OpsError('usage', `${input.name} must be 1–64 letters, digits, - or _.`);
    if (value.length > 100) throw new OpsError('usage', `${input.name} is longer than 100 characters.`);
    inputs[input.name] = value;
  }
  return inputs;
}
