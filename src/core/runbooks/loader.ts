/**
 * Loads every runbooks/*.yml at start-up and validates it: YAML syntax, the zod schema,
 * then the rules that span steps and files. Any problem stops start-up with the file,
 * the line and the reason, so a broken runbook is found before an incident needs it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { endpoints } from '../../svp/endpoints.js';
import { projectPath } from '../../paths.js';
import { figuresIn, parseCondition } from './conditions.js';
import { BUILTINS, figuresOfStep, placeholdersIn, stringsIn } from './figures.js';
import { Runbook, type Step } from './schema.js';

export const RUNBOOKS_DIR = projectPath('runbooks');

const MAX_FILE_BYTES = 128 * 1024;
const MAX_ALIASES = 50;

type Path = (string | number)[];

export interface RunbookProblem {
  file: string;
  line?: number;
  message: string;
}

export const formatProblem = (p: RunbookProblem) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;

export class RunbookLoadError extends Error {
  constructor(readonly problems: RunbookProblem[]) {
    super(`invalid runbooks:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'RunbookLoadError';
  }
}

/** A runbook that passed its own checks, with what is needed to point at its lines. */
export interface ParsedRunbook {
  file: string;
  runbook: Runbook;
  lineOf(path: Path): number | undefined;
}

/** YAML and schema checks of one file; `file` names it in problems. */
function parseRunbook(file: string, source: string): { parsed?: ParsedRunbook; problems: RunbookProblem[] } {
  if (Buffer.byteLength(source) > MAX_FILE_BYTES) return { problems: [{ file, message: `file is larger than ${MAX_FILE_BYTES / 1024} KB` }] };
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e) => ({ file, line: lines.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` }));
  if (yamlProblems.length) return { problems: yamlProblems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    return { problems: [{ file, message: `YAML: ${(err as Error).message}` }] };
  }
  const lineOf = (path: Path): number | undefined => {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
      if (p.length === 0) return undefined;
    }
  };
  const result = Runbook.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
      return { file, line: lineOf(path as Path), message: `${describePath(data, path as Path)}${issue.message}` };
    });
    return { problems };
  }
  const parsed = { file, runbook: result.data, lineOf };
  const problems = ownRules(parsed);
  return problems.length ? { problems } : { parsed, problems };
}

/** Loads and checks every runbooks/*.yml; throws RunbookLoadError listing every problem. */
export function loadRunbooks(dir = RUNBOOKS_DIR): Runbook[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  if (files.length === 0) throw new RunbookLoadError([{ file: dir, message: 'no runbook files (*.yml) found' }]);
  const tooLarge = files.filter((f) => statSync(join(dir, f)).size > MAX_FILE_BYTES);
  const sources = files.filter((f) => !tooLarge.includes(f)).map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
  return checkRunbooks(sources, tooLarge.map((file) => ({ file, message: `file is larger than ${MAX_FILE_BYTES / 1024} KB` })));
}

/** Checks runbook files given as text, each on its own and then together. */
export function checkRunbooks(sources: { file: string; source: string }[], earlier: RunbookProblem[] = []): Runbook[] {
  const problems = [...earlier];
  const parsed: ParsedRunbook[] = [];
  for (const { file, source } of sources) {
    const result = parseRunbook(file, source);
    problems.push(...result.problems);
    if (result.parsed) parsed.push(result.parsed);
  }
  problems.push(...libraryRules(parsed));
  if (problems.length) throw new RunbookLoadError(problems);
  return parsed.map((p) => p.runbook);
}

/** "steps[3] (warm_up).effect: " — where in the file, in the runbook's own words. */
function describePath(data: unknown, path: Path): string {
  if (path.length === 0) return '';
  let node: unknown = data;
  let out = '';
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += ` (${id.slice(0, 40)})`;
    } else out += out ? `.${key}` : key;
  }
  return `${out}: `;
}

const rank = { read: 0, mutate: 1, destructive: 2 } as const;

/** Rules within one runbook: unique ids, endpoint effects and parameters, the file name. */
function ownRules({ file, runbook, lineOf }: ParsedRunbook): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  const at = (path: Path, message: string) => problems.push({ file, line: lineOf(path), message: describePath(runbook, path) + message });
  if (basename(file, '.yml') !== runbook.id) at(['id'], `id "${runbook.id}" must match the file name (${runbook.id}.yml)`);
  const inputs = new Set<string>();
  runbook.inputs.forEach((input, i) => {
    if (inputs.has(input.name) || (BUILTINS as readonly string[]).includes(input.name)) at(['inputs', i, 'name'], `input "${input.name}" is defined twice or is a built-in figure`);
    inputs.add(input.name);
  });
  const ids = new Set<string>();
  runbook.steps.forEach((step, i) => {
    if (ids.has(step.id)) at(['steps', i, 'id'], `step id "${step.id}" is used twice`);
    ids.add(step.id);
    if (step.kind !== 'http' && step.kind !== 'wait') return;
    const endpoint = endpoints[step.endpoint];
    if (rank[step.effect] < rank[endpoint.effect]) {
      at(['steps', i, 'effect'], `effect ${step.effect} is too weak: ${endpoint.method} ${endpoint.path} is ${endpoint.effect}`);
    }
    if (step.kind === 'wait' && (endpoint.effect !== 'read' || step.effect !== 'read')) at(['steps', i, 'endpoint'], 'a wait step polls, so it must call a read endpoint and be effect read');
    const needed = [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const given = Object.keys(step.params ?? {});
    const missing = needed.filter((p) => !given.includes(p));
    const extra = given.filter((p) => !needed.includes(p));
    if (missing.length || extra.length) {
      at(['steps', i, 'params'], `${endpoint.path} takes ${needed.length ? `params ${needed.join(', ')}` : 'no params'}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`);
    }
  });
  return problems;
}

/** Rules across files: sub-runbooks exist without cycles, and every figure is defined before use. */
function libraryRules(parsed: ParsedRunbook[]): RunbookProblem[] {
  const byId = new Map(parsed.map((p) => [p.runbook.id, p.runbook]));
  const resolve = (id: string) => byId.get(id);
  const problems: RunbookProblem[] = [];
  for (const { file, runbook, lineOf } of parsed) {
    const at = (path: Path, message: string) => problems.push({ file, line: lineOf(path), message: describePath(runbook, path) + message });
    const known = new Set<string>([...BUILTINS, ...runbook.inputs.map((i) => i.name)]);
    runbook.steps.forEach((step, i) => {
      if (step.kind === 'runbook') subRunbookRules(step, resolve, runbook.id, (message) => at(['steps', i, 'runbook'], message));
      // A step's own figures are visible to everything but its `when`, decided before it runs.
      const own = figuresOfStep(step, resolve);
      for (const [field, names] of references(step)) {
        const visible = (n: string) => known.has(n) || (field !== 'when' && own.includes(n));
        for (const name of names.filter((n) => !visible(n))) at(['steps', i, field], `"${name}" is not a figure defined before this step (known: ${[...known].join(', ')})`);
      }
      for (const name of own) {
        if (known.has(name)) at(['steps', i], `figure "${name}" is defined twice`);
        known.add(name);
      }
    });
  }
  return problems;
}

function subRunbookRules(step: Extract<Step, { kind: 'runbook' }>, resolve: (id: string) => Runbook | undefined, parent: string, report: (message: string) => void): void {
  const sub = resolve(step.runbook);
  if (!sub) return report(`no runbook "${step.runbook}" (is runbooks/${step.runbook}.yml missing or invalid?)`);
  const cycle = findCycle(sub, resolve, [parent]);
  if (cycle) return report(`runbooks include each other: ${cycle.join(' → ')}`);
  const required = sub.inputs.filter((i) => i.default === undefined).map((i) => i.name);
  if (required.length) report(`"${sub.id}" needs inputs (${required.join(', ')}) without defaults, so it cannot run as a step`);
  const strongest = maxEffect(sub);
  if (rank[step.effect] < rank[strongest]) report(`effect ${step.effect} is too weak: "${sub.id}" has ${strongest} steps`);
}

function findCycle(runbook: Runbook, resolve: (id: string) => Runbook | undefined, trail: string[]): string[] | undefined {
  if (trail.includes(runbook.id)) return [...trail, runbook.id];
  for (const step of runbook.steps) {
    const sub = step.kind === 'runbook' ? resolve(step.runbook) : undefined;
    const cycle = sub && findCycle(sub, resolve, [...trail, runbook.id]);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Nested runbook steps declare their own effect, checked when their file is. */
function maxEffect(runbook: Runbook): Step['effect'] {
  return runbook.steps.reduce<Step['effect']>((max, s) => (rank[s.effect] > rank[max] ? s.effect : max), 'read');
}

/** The figures each field of a step refers to. */
function references(step: Step): [string, string[]][] {
  const conditions: [string, string | undefined][] = [['when', step.when]];
  const texts: [string, string[]][] = [];
  if (step.kind === 'http' || step.kind === 'wait') {
    conditions.push(['expect', step.expect]);
    texts.push(['params', Object.values(step.params ?? {})], ['body', stringsIn(step.body)]);
    if (step.kind === 'wait') conditions.push(['until', step.until]);
  }
  if (step.kind === 'check') {
    conditions.push(['condition', step.condition]);
    texts.push(['if_true', [step.if_true.say]], ['if_false', [step.if_false.say]], ['if_unknown', step.if_unknown ? [step.if_unknown.say] : []]);
  }
  if (step.kind === 'notify') texts.push(['text', [step.text]]);
  if (step.kind === 'manual') texts.push(['instructions', [step.instructions]]);
  return [
    ...conditions.filter((c): c is [string, string] => c[1] !== undefined).map(([field, c]): [string, string[]] => [field, figuresIn(parseCondition(c))]),
    ...texts.map(([field, t]): [string, string[]] => [field, t.flatMap(placeholdersIn)]),
  ];
}
