/**
 * The alert rules file, in the format of the runbook's alert-rules.yml (name, condition,
 * duration, severity, action), plus two optional fields: `remind` (how often a firing
 * alert reminds; P0 and P1 remind by default) and `runbook` (which runbook to open).
 * A bad file stops start-up with the file, the rule and the reason.
 */
import { projectPath } from '../../paths.js';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isSeq } from 'yaml';
import { z } from 'zod';
import { parseCondition, subjectOf, type Condition } from './conditions.js';
import { parseDuration } from './duration.js';

export type Severity = 'P0' | 'P1' | 'P2' | 'P3';
export type AlertAction = 'page_oncall' | 'slack_alert';

export interface AlertRule {
  name: string;
  condition: Condition;
  /** How long the condition must hold before the alert fires. */
  forMs: number;
  severity: Severity;
  actions: AlertAction[];
  /** Reminder interval while firing; undefined: no reminders. */
  remindMs?: number;
  runbook: string;
}

/** The project's own file: the runbook's five rules. */
export const DEFAULT_RULES_FILE = projectPath('alert-rules.yml');

/** P0 and P1 alerts remind while firing unless the rule says otherwise. */
const DEFAULT_REMIND_MS: Partial<Record<Severity, number>> = { P0: 15 * 60_000, P1: 30 * 60_000 };

export class RulesFileError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly rule?: string, readonly line?: number) {
    super(`alert rules file ${file}${rule ? `, rule "${rule}"` : ''}${line ? ` (line ${line})` : ''}: ${reason}`);
    this.name = 'RulesFileError';
  }
}

/** YAML reads a bare `0` as a number: it is a duration too. */
const duration = (what: string) => {
  const error = `${what} must be a duration such as 5m, 90s or 1h`;
  return z.union([z.string(), z.number()], { error }).transform(String).refine((s) => parseDuration(s) !== undefined, error);
};

const RuleSchema = z.strictObject(
  {
    name: z.string({ error: 'name is missing' }).regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'name must be 1–64 letters, digits, - or _, starting with a letter'),
    condition: z.string({ error: 'condition is missing (e.g. "error_rate > 5%")' }),
    duration: duration('duration'),
    severity: z.enum(['P0', 'P1', 'P2', 'P3'], { error: 'severity must be P0, P1, P2 or P3' }),
    action: z.string({ error: 'action is missing (page_oncall, slack_alert, or both joined by +)' }),
    remind: z.union([z.literal('off'), duration('remind')]).optional(),
    runbook: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'runbook must be a runbook id such as high-error-rate').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : 'each rule must be a mapping of name, condition, duration, severity, action') },
);

function parseActions(text: string): AlertAction[] | string {
  const actions = text.split('+').map((a) => a.trim());
  const unknown = actions.find((a) => a !== 'page_oncall' && a !== 'slack_alert');
  return unknown === undefined ? (actions as AlertAction[]) : `unknown action "${unknown}": use page_oncall, slack_alert, or both joined by +`;
}

/** One rule from its YAML mapping; a string result is the reason it is not valid. */
function parseRule(raw: unknown): AlertRule | string {
  const parsed = RuleSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues[0]!.message;
  const r = parsed.data;
  const condition = parseCondition(r.condition);
  if (typeof condition === 'string') return condition;
  const actions = parseActions(r.action);
  if (typeof actions === 'string') return actions;
  return {
    name: r.name,
    condition,
    forMs: parseDuration(r.duration)!,
    severity: r.severity,
    actions,
    remindMs: r.remind === 'off' ? undefined : r.remind ? parseDuration(r.remind) : DEFAULT_REMIND_MS[r.severity],
    runbook: r.runbook ?? subjectOf(condition).runbook,
  };
}

/** Parses the text of a rules file; `file` is only for messages. */
export function parseRules(text: string, file: string): AlertRule[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) throw new RulesFileError(file, `not valid YAML: ${syntax.message.split('\n')[0]}`, undefined, lines.linePos(syntax.pos[0]).line);
  const list = isMap(doc.contents) ? doc.contents.get('alerts', true) : undefined;
  if (!isSeq(list) || list.items.length === 0) throw new RulesFileError(file, 'expected a list of rules under the key `alerts:`');
  const rules: AlertRule[] = [];
  list.items.forEach((item, index) => {
    const raw: unknown = isNode(item) ? item.toJSON() : item;
    const line = isNode(item) && item.range ? lines.linePos(item.range[0]).line : undefined;
    const name = typeof (raw as { name?: unknown } | null)?.name === 'string' ? (raw as { name: string }).name : `#${index + 1}`;
    const rule = parseRule(raw);
    if (typeof rule === 'string') throw new RulesFileError(file, rule, name, line);
    if (rules.some((other) => other.name.toLowerCase() === rule.name.toLowerCase())) throw new RulesFileError(file, 'a rule of this name is already defined above', name, line);
    rules.push(rule);
  });
  return rules;
}

/** Reads and parses a rules file (SVP_ALERT_RULES, or the project's own). */
export function loadRules(file: string = DEFAULT_RULES_FILE): AlertRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RulesFileError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseRules(text, file);
}
