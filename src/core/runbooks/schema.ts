/**
 * The format of a runbook file (runbooks/*.yml), as zod schemas. Objects are strict, so
 * a misspelt key is an error rather than a silently ignored step. Rules that span steps
 * (figures defined before use, endpoint effects, sub-runbooks) are checked by the loader.
 */
import { z } from 'zod';
import { endpoints, isEndpointName } from '../../svp/endpoints.js';
import { parseDuration } from '../alerts/duration.js';
import { ConditionError, parseCondition } from './conditions.js';

export const RUNBOOK_ID = /^[a-z][a-z0-9-]{1,47}$/;
/** Step ids, figure and input names: usable in conditions as they are. */
const NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Where a figure is in SVP's answer: `cache_hit_rate`, `breakdown.cognee_query`, `sources.length`. */
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,5}$/;

/** zod's message for a missing or non-text value. */
const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `${what} must be text`) });
const text = (what: string, max: number) => z.string(required(what)).trim().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);
const name = (what: string) => z.string(required(what)).regex(NAME, `${what} must be lower-case letters, digits and _, starting with a letter (at most 40)`);

const condition = z.string(required('a condition')).superRefine((source, ctx) => {
  try {
    parseCondition(source);
  } catch (err) {
    if (!(err instanceof ConditionError)) throw err;
    ctx.addIssue({ code: 'custom', message: `condition "${source.slice(0, 80)}": ${err.message}` });
  }
});

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((source, ctx) => {
      const ms = parseDuration(source);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${source}" is not a duration such as 5s, 10m or 1h` });
        return z.NEVER;
      }
      return ms;
    });

const endpoint = z.string().refine(isEndpointName, {
  error: (issue) => `unknown SVP endpoint "${String(issue.input)}"; use one of ${Object.keys(endpoints).join(', ')}`,
});

const effect = z.enum(['read', 'mutate', 'destructive'], { error: 'effect must be read, mutate or destructive' });

const common = {
  id: name('a step id'),
  title: text('the title', 150),
  effect,
  /** The step runs only when this holds; otherwise it is skipped, with the reason. */
  when: condition.optional(),
};

/** Figure name → where it is in the answer. */
const extract = z.record(name('a figure name'), z.string().regex(PATH, 'a figure path is field names joined by dots, e.g. breakdown.cognee_query')).optional();
/** Path parameter → value; `{figure}` placeholders are filled in at run time. */
const params = z.record(z.string().regex(/^[a-zA-Z]\w*$/), text('a parameter', 200)).optional();

const call = {
  endpoint,
  params,
  body: z.record(z.string(), z.json()).optional(),
  extract,
  /** What the answer must show; when it does not, the step fails. */
  expect: condition.optional(),
};

const verdict = z.strictObject({
  status: z.enum(['ok', 'info', 'warn', 'fail'], { error: 'status must be ok, info, warn or fail' }),
  /** Plain words; `{figure}` and `{figure:%}` placeholders are filled in. */
  say: text('the verdict', 300),
});

const link = z.strictObject({
  label: text('a link label', 75),
  url: z.string().regex(/^https:\/\/[^\s<>|]+$/, 'a link must be an https URL'),
});

const HttpStep = z.strictObject({ ...common, kind: z.literal('http'), ...call });
const CheckStep = z.strictObject({ ...common, kind: z.literal('check'), condition, if_true: verdict, if_false: verdict, if_unknown: verdict.optional() });
const ManualStep = z.strictObject({ ...common, kind: z.literal('manual'), instructions: text('the instructions', 1000), links: z.array(link).max(5).optional() });
const WaitStep = z.strictObject({ ...common, kind: z.literal('wait'), ...call, until: condition, every: duration('5s'), timeout: duration('15m') });
const RunbookStep = z.strictObject({ ...common, kind: z.literal('runbook'), runbook: z.string().regex(RUNBOOK_ID, 'runbook must be a runbook id') });
const NotifyStep = z.strictObject({ ...common, kind: z.literal('notify'), text: text('the text', 1000) });

const Step = z.discriminatedUnion('kind', [HttpStep, CheckStep, ManualStep, WaitStep, RunbookStep, NotifyStep], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be http, check, manual, wait, runbook or notify (`when:` is a field any step may have)' : undefined),
});

const Input = z.strictObject({
  name: name('an input name'),
  about: text('what the input is', 200),
  /** `id` values are safe in URL paths (letters, digits, - and _); `text` goes in bodies only. */
  kind: z.enum(['id', 'text']).default('text'),
  default: z.string().max(100).optional(),
});

export const Runbook = z.strictObject({
  id: z.string(required('the id')).regex(RUNBOOK_ID, 'id must be lower-case letters, digits and -, like slow-ai-queries'),
  title: text('the title', 100),
  summary: text('the summary', 300),
  severity: z.enum(['P0', 'P1', 'P2', 'P3'], { error: 'severity must be P0, P1, P2 or P3' }),
  symptoms: z.array(text('a symptom', 200)).min(1, 'list at least one symptom').max(30),
  root_causes: z.array(text('a root cause', 300)).max(30).default([]),
  prevention: z.array(text('a prevention', 300)).max(30).default([]),
  inputs: z.array(Input).max(10).default([]),
  steps: z.array(Step).min(1, 'a runbook needs at least one step').max(50, 'at most 50 steps'),
});

export type Runbook = z.output<typeof Runbook>;
export type Step = z.output<typeof Step>;
export type HttpStep = z.output<typeof HttpStep>;
export type WaitStep = z.output<typeof WaitStep>;
/** A step the engine runs itself: `runbook` steps are expanded into their own steps. */
export type LeafStep = Exclude<Step, { kind: 'runbook' }>;
