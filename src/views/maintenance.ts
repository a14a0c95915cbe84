/** A maintenance run as a plain message: the automated steps, then the manual checklists. */
import type { Message, Part, Status } from '../core/message.js';
import type { ChecklistGroup, MaintenanceRun, StepOutcome } from '../core/maintenance.js';
import { stamp } from './health.js';

export const TICK_ACTION = 'maintenance.tick';

const stepStatus: Record<StepOutcome['status'], Status> = { ok: 'ok', fail: 'fail', pending: 'pending' };

/** The checklist's id carries the run, so a tick finds its record: `weekly@2026-11-29`. */
export const checklistId = (group: ChecklistGroup, runId: string) => `${group}@${runId}`;

export function parseChecklistId(blockId: string): { group: ChecklistGroup; runId: string } | undefined {
  const m = /^(weekly|monthly)@(\d{4}-\d{2}-\d{2})/.exec(blockId);
  return m ? { group: m[1] as ChecklistGroup, runId: m[2]! } : undefined;
}

const time = (at: number) => stamp(new Date(at)).slice(11);

function checklist(run: MaintenanceRun, group: ChecklistGroup, title: string): Part[] {
  const items = run.items.filter((i) => i.group === group);
  if (!items.length) return [];
  return [
    {
      type: 'checklist',
      id: checklistId(group, run.id),
      actionId: TICK_ACTION,
      title,
      items: items.map((i) => ({ id: i.id, label: i.label, done: i.done, note: i.done && i.by ? `<@${i.by}> at ${time(i.at ?? run.startedAt)}` : undefined })),
    },
  ];
}

export function maintenanceMessage(run: MaintenanceRun): Message {
  const open = run.items.filter((i) => !i.done).length;
  const steps = run.finishedAt ? (run.ingest.status === 'ok' && run.cache.status === 'ok' ? 'steps done' : 'a step failed') : 'running';
  return {
    text: `Weekly maintenance ${run.label}: ${steps}, ${open} manual item${open === 1 ? '' : 's'} open`,
    visibility: 'channel',
    parts: [
      { type: 'header', text: `Weekly maintenance · ${run.label}` },
      {
        type: 'status',
        items: [
          { status: stepStatus[run.ingest.status], label: 'Product snapshot ingestion', detail: run.ingest.detail },
          { status: stepStatus[run.cache.status], label: 'Clear expired cache entries', detail: run.cache.detail },
        ],
      },
      ...checklist(run, 'weekly', 'Manual items: tick each when done'),
      ...checklist(run, 'monthly', 'Monthly tasks (first Sunday of the month)'),
      { type: 'context', text: `Maintenance Procedures of the runbook · started ${stamp(new Date(run.startedAt))}` },
    ],
  };
}
