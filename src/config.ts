/**
 * The one place that reads the environment. Everything else receives the frozen,
 * typed Config. Names follow SPEC.md's runtime contract exactly.
 */
import { z } from 'zod';
import cron from 'node-cron';

export const PRODUCTION_API_URL = 'https://studio-pilot-vision.onrender.com';
export const PRODUCTION_FRONTEND_URL = 'https://studio-pilot-vision.lovable.app';
export const DEFAULT_GROQ_MODEL = 'llama-3.3-70b-versatile';

const optional = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());

const httpUrl = z
  .string()
  .refine((s) => /^https?:\/\/[^\s]+$/.test(s) && URL.canParse(s), 'expected an http(s) URL')
  .transform((s) => s.replace(/\/+$/, ''));

const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}: a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${what}: a whole number from ${min} to ${max}`);

const cronExpression = z
  .string()
  .refine((s) => cron.validate(s), 'expected a cron expression of 5 or 6 fields, e.g. "0 9 * * *"');

/** Slack user (U…/W…) or user-group (S…) IDs, separated by commas or spaces. */
const slackIds = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .refine((ids) => ids.every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)), 'expected Slack user or user-group IDs (U…, W… or S…) separated by commas');

const bool = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'expected true or false')
  .transform((s) => ['true', '1', 'yes'].includes(s));

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as UTC or Europe/Paris');

const token = (prefix: string) =>
  z.string().refine((s) => s.startsWith(prefix), `expected a token starting with ${prefix}`);

export const CONFIG_SCHEMA = z.object({
  SLACK_BOT_TOKEN: token('xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'expected the signing secret of the Slack app').optional(),
  SLACK_APP_TOKEN: token('xapp-').optional(),
  SLACK_API_URL: httpUrl.transform((s) => `${s}/`).optional(),
  PORT: wholeNumber(1, 65535, 'a TCP port').default(3000),
  SVP_API_URL: httpUrl.optional(),
  SVP_FRONTEND_URL: httpUrl.optional(),
  SVP_TIMEOUT_MS: wholeNumber(100, 120_000, 'milliseconds').default(5000),
  GROQ_API_KEY: z.string().optional(),
  GROQ_BASE_URL: httpUrl.optional(),
  GROQ_MODEL: z.string().default(DEFAULT_GROQ_MODEL),
  DATABASE_URL: z.string().default('./data/svp-ops.db'),
  SVP_DIGEST_CHANNEL: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel ID such as C0123456789').optional(),
  SVP_DIGEST_CRON: cronExpression.default('0 9 * * *'),
  SVP_TZ: timeZone.default('UTC'),
  SVP_OPERATORS: slackIds.default([]),
  SVP_ADMINS: slackIds.default([]),
  SVP_ALERT_RULES: z.string().optional(),
  SVP_ALERT_INTERVAL_S: wholeNumber(1, 86_400, 'seconds').default(60),
  SVP_MAINTENANCE_CRON: cronExpression.default('0 2 * * 0'),
  SVP_TWO_PERSON: bool.default(false),
  SVP_INCIDENT_CHANNELS: bool.default(false),
  SVP_ONCALL: slackIds.default([]),
  SVP_ESCALATION_LEAD: slackIds.default([]),
  SVP_ESCALATION_MANAGER: slackIds.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Variable = keyof typeof CONFIG_SCHEMA.shape;

export type Mode = 'socket' | 'http' | 'console';

export type Config = Readonly<
  z.output<typeof CONFIG_SCHEMA> & {
    mode: Mode;
    /** True when no SVP_API_URL was given and the console runs the built-in simulator. */
    useSimulator: boolean;
    svpApiUrl: string;
    svpFrontendUrl: string;
  }
>;

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(Object.keys(CONFIG_SCHEMA.shape).map((k) => [k, optional(env[k])]));
  const parsed = CONFIG_SCHEMA.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    const given = input[variable];
    const shown = variable.includes('TOKEN') || variable.includes('SECRET') || variable.includes('KEY') || variable === 'DATABASE_URL' ? '' : given === undefined ? '' : ` (got "${given.slice(0, 60)}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = parsed.data;
  const mode: Mode = c.SLACK_APP_TOKEN ? 'socket' : c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET ? 'http' : 'console';
  if (mode === 'socket' && !c.SLACK_BOT_TOKEN) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'Socket Mode (SLACK_APP_TOKEN is set) also needs the bot token (xoxb-…)');
  }
  const useSimulator = mode === 'console' && !c.SVP_API_URL;
  // Frozen all the way down: the ID lists too.
  for (const value of Object.values(c)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze({
    ...c,
    mode,
    useSimulator,
    svpApiUrl: c.SVP_API_URL ?? PRODUCTION_API_URL,
    svpFrontendUrl: c.SVP_FRONTEND_URL ?? PRODUCTION_FRONTEND_URL,
  });
}

/** Every value that must never appear in a message or a log line. */
export function secretsOf(config: Config): string[] {
  const secrets = [config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.GROQ_API_KEY];
  const password = /^postgres(?:ql)?:\/\/[^:/@]+:([^@]+)@/.exec(config.DATABASE_URL)?.[1];
  // As written in the URL and as the driver decodes it.
  const decoded = password && safeDecode(password);
  return [...secrets, password, decoded].filter((s): s is string => !!s && s.length >= 4);
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
