/** Argument schemas of the incident commands; each error says what was expected. */
import { z } from 'zod';
import { isSeverity, type Severity } from './model.js';
import { INCIDENT_ID } from './repository.js';

export const SEVERITY_EXPECTED = 'expected a severity: P0, P1, P2 or P3 (P0 critical … P3 low)';
export const TITLE_MAX = 150;

export const severity = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isSeverity, SEVERITY_EXPECTED) as unknown as z.ZodType<Severity, string>;

/** `<P0-P3> <title>`; nothing at all means "open the form". */
export const declareArgs = z.string().transform((raw, ctx): { severity: Severity; title: string } | { form: true } | never => {
  const text = raw.trim();
  if (!text) return { form: true };
  const [first = '', ...rest] = text.split(/\s+/);
  const level = first.toUpperCase();
  const title = rest.join(' ');
  if (!isSeverity(level)) ctx.addIssue({ code: 'custom', message: SEVERITY_EXPECTED });
  else if (!title) ctx.addIssue({ code: 'custom', message: 'expected a title after the severity' });
  else if (title.length > TITLE_MAX) ctx.addIssue({ code: 'custom', message: `expected a title of at most ${TITLE_MAX} characters` });
  else return { severity: level, title };
  return z.NEVER;
});

/**
 * An optional incident id first (`INC-7K2Q`), then the command's own arguments. Without
 * the id, the command means the incident of the thread or channel it is typed in.
 */
export const withIncident = <T>(rest: z.ZodType<T, string>) =>
  z.string().transform((raw, ctx): { id?: string; args: T } => {
    const text = raw.trim();
    const [first = ''] = text.split(/\s+/);
    const id = INCIDENT_ID.test(first.toUpperCase()) ? first.toUpperCase() : undefined;
    const parsed = rest.safeParse(id ? text.slice(first.length).trim() : text);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid arguments' });
      return z.NEVER;
    }
    return { id, args: parsed.data };
  });

/** `<@U123>` as Slack sends a mention, or a bare user id. */
export const userMention = z
  .string()
  .transform((s) => /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]+)$/.exec(s.trim()))
  .refine((m) => m !== null, 'expected a person: @name')
  .transform((m) => (m![1] ?? m![2])!);
