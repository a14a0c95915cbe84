/**
 * The environment reference, generated from the config schema: README's table is this
 * output (a test compares them), so the documentation cannot drift from the code.
 * Regenerate with `npm run env-reference`.
 */
import { CONFIG_SCHEMA, type Variable } from './config.js';

/** What each variable means and its default, as people read it. Typed by the schema's keys. */
export const VARIABLE_DOCS: Record<Variable, { meaning: string; default: string }> = {
  SLACK_BOT_TOKEN: { meaning: 'Bot token (`xoxb-…`); with the signing secret → HTTP mode', default: 'none' },
  SLACK_SIGNING_SECRET: { meaning: 'Signing secret: verifies every request in HTTP mode', default: 'none' },
  SLACK_APP_TOKEN: { meaning: 'App-level token (`xapp-…`) → Socket Mode (needs the bot token too)', default: 'none' },
  SLACK_API_URL: { meaning: 'Base URL of the Slack Web API (tests point it at a fake)', default: "Slack's own" },
  PORT: { meaning: 'HTTP port: `POST /slack/events`, `GET /healthz`, `GET /metrics`', default: '`3000`' },
  SVP_API_URL: { meaning: 'The SVP AI service; unset in the console → the built-in simulator', default: '`https://studio-pilot-vision.onrender.com`' },
  SVP_FRONTEND_URL: { meaning: 'The SVP frontend (health probe 4)', default: '`https://studio-pilot-vision.lovable.app`' },
  SVP_TIMEOUT_MS: { meaning: 'Per-request timeout toward SVP, 100–120000', default: '`5000`' },
  GROQ_API_KEY: { meaning: "The bot's own LLM features (triage rerank, post-mortem summary); without it, deterministic logic", default: 'none' },
  GROQ_BASE_URL: { meaning: 'Groq API base URL', default: "Groq's" },
  GROQ_MODEL: { meaning: 'Groq model', default: '`llama-3.3-70b-versatile`' },
  DATABASE_URL: { meaning: '`postgres://…` for PostgreSQL (several replicas); otherwise a SQLite file path', default: '`./data/svp-ops.db`' },
  SVP_DIGEST_CHANNEL: { meaning: 'Channel ID for the daily digest, alerts and maintenance posts', default: 'none (scheduled posts off)' },
  SVP_DIGEST_CRON: { meaning: 'Cron expression of the daily digest (5 or 6 fields)', default: '`0 9 * * *`' },
  SVP_TZ: { meaning: 'Time zone of schedules (IANA)', default: '`UTC`' },
  SVP_OPERATORS: { meaning: 'User (U…/W…) or user-group (S…) IDs allowed to run mutating steps', default: 'none' },
  SVP_ADMINS: { meaning: 'IDs allowed to run and confirm destructive steps', default: 'none: destructive steps are refused' },
  SVP_ALERT_RULES: { meaning: "Path of the alert rules YAML (the runbook's alert-rules.yml format)", default: 'the project\'s `alert-rules.yml`' },
  SVP_ALERT_INTERVAL_S: { meaning: 'Seconds between two evaluations of the alert rules', default: '`60`' },
  SVP_MAINTENANCE_CRON: { meaning: 'Cron expression of the weekly maintenance', default: '`0 2 * * 0`' },
  SVP_TWO_PERSON: { meaning: '`true`: a destructive step needs a second admin to confirm', default: '`false`' },
  SVP_INCIDENT_CHANNELS: { meaning: '`true`: each incident gets its own channel `inc-<yyyymmdd>-<slug>`', default: '`false`' },
  SVP_ONCALL: { meaning: 'Who `page_oncall` alerts mention (user or user-group IDs)', default: 'none' },
  SVP_ESCALATION_LEAD: { meaning: 'Team lead: notified when an incident is unresolved after 30 min', default: 'none' },
  SVP_ESCALATION_MANAGER: { meaning: 'Engineering manager: notified when a P0 is unresolved after 1 h', default: 'none' },
  LOG_LEVEL: { meaning: 'fatal, error, warn, info, debug, trace or silent (JSON lines on stdout)', default: '`info`' },
};

export function envReference(): string {
  const rows = (Object.keys(CONFIG_SCHEMA.shape) as Variable[]).map((name) => {
    const doc = VARIABLE_DOCS[name];
    return `| \`${name}\` | ${doc.meaning} | ${doc.default} |`;
  });
  return ['| variable | meaning | default |', '|---|---|---|', ...rows].join('\n');
}
