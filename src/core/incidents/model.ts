/**
 * Incidents as plain data, after the Incident Response section of RUNBOOK.md: the
 * Severity Levels, the six-step checklist, the record kept in the store and the events of
 * its timeline. Nothing here knows Slack.
 */
import type { MessageRef } from '../../app/command.js';

export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

const MINUTE = 60_000;

/**
 * The Severity Levels table. "Immediate" (P0) is held to the five minutes of Step 1, so a
 * P0 nobody has touched after five minutes gets its reminder.
 */
export const SEVERITY_LEVELS: Record<Severity, { name: string; target: string; targetMs: number }> = {
  P0: { name: 'Critical', target: 'Immediate', targetMs: 5 * MINUTE },
  P1: { name: 'High', target: '< 30 minutes', targetMs: 30 * MINUTE },
  P2: { name: 'Medium', target: '< 4 hours', targetMs: 4 * 60 * MINUTE },
  P3: { name: 'Low', target: '< 1 day', targetMs: 24 * 60 * MINUTE },
};

export const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);

export interface ChecklistStep {
  step: number;
  title: string;
  items: { id: string; label: string }[];
}

const step = (n: number, title: string, labels: string[]): ChecklistStep => ({
  step: n,
  title,
  items: labels.map((label, i) => ({ id: `s${n}.${i + 1}`, label })),
});

/** The Incident Response Checklist, word for word. */
export const CHECKLIST: readonly ChecklistStep[] = [
  step(1, 'Assess Impact (5 minutes)', ['Check system health endpoints', 'Review error rate and metrics', 'Identify affected users/features', 'Determine severity level']),
  step(2, 'Initial Response (5-10 minutes)', [
    'Acknowledge incident (update status page if available)',
    'Gather logs and error messages',
    'Check recent deployments (rollback candidate?)',
    'Check external dependencies (Groq, Supabase)',
  ]),
  step(3, 'Mitigation (10-30 minutes)', ['Apply quick fix (restart, rollback, enable fallback)', 'Verify mitigation worked (recheck metrics)', 'Update status (service restored or investigating)']),
  step(4, 'Root Cause Analysis (1-2 hours)', ['Reproduce issue in dev environment', 'Identify root cause', 'Document findings']),
  step(5, 'Permanent Fix (hours to days)', ['Implement fix', 'Test thoroughly', 'Deploy to production', 'Monitor for recurrence']),
  step(6, 'Post-Mortem (within 1 week)', ['Write incident report', 'Identify preventative measures', 'Update runbook', 'Implement improvements']),
];

export const CHECKLIST_ITEMS = CHECKLIST.flatMap((s) => s.items);
export const itemLabel = (id: string) => CHECKLIST_ITEMS.find((i) => i.id === id)?.label;

/** What the store keeps under kind 'incident': the declaration and where its message is. */
export interface Incident {
  id: string;
  title: string;
  /** As declared; later changes are events. */
  severity: Severity;
  feature?: string;
  commander?: string;
  declaredBy: string;
  declaredAt: number;
  /** The channel it was declared in. */
  channelId: string;
  /** The incident message; its ts is the incident's thread. */
  message?: MessageRef;
  /** The incident's own channel, with SVP_INCIDENT_CHANNELS=true. */
  room?: { channelId: string; name: string };
}

export const INCIDENT_KIND = 'incident';
export const streamOf = (id: string) => `incident:${id}`;

export type TimerKind = 'response' | 'lead' | 'manager' | 'nudge' | 'postmortem';

/** One entry of the append-only stream `incident:<id>`; `by` is a Slack user id. */
export type IncidentEvent = { at: number; by: string } & (
  | { type: 'tick' | 'untick'; item: string }
  | { type: 'status' | 'note'; text: string }
  | { type: 'severity'; severity: Severity }
  | { type: 'commander'; commander: string }
  | { type: 'snooze'; until: number }
  | { type: 'resolved' }
  | { type: 'postmortem-done' }
  | { type: 'timer'; timer: TimerKind; key: string }
);

/** The changes that are announced in the incident's thread. */
export type ThreadEvent = Extract<IncidentEvent, { type: 'status' | 'note' | 'severity' | 'commander' | 'resolved' | 'postmortem-done' }>;

/** Everything known about an incident now: the record folded with its events. */
export interface IncidentState {
  incident: Incident;
  severity: Severity;
  commander?: string;
  checks: Record<string, { done: boolean; by: string; at: number }>;
  lastStatus?: { text: string; by: string; at: number };
  /** First tick, status or note: someone responded. */
  firstResponseAt?: number;
  lastNudgeAt?: number;
  snoozedUntil?: number;
  resolved?: { at: number; by: string };
  postmortemDone?: { at: number; by: string };
  /** Keys of timers that already fired. */
  fired: string[];
  /** Every event, oldest first (the declaration itself is the record). */
  timeline: IncidentEvent[];
  /** The newest event's seq (0 without events): the version the state was folded at. */
  seq: number;
}
