/**
 * The daily digest as a plain message: problems first, each with an "Open runbook"
 * button; every healthy, unchanged area is one short line after them.
 */
import { statusEmoji, untrusted, type Button, type Message, type Part, type Status } from '../core/message.js';
import type { Digest } from '../core/digest.js';
import { BASELINES } from '../core/metrics.js';
import { runbookForGauge } from '../core/alerts/conditions.js';
import { formatDuration } from '../core/alerts/duration.js';
import { stamp } from './health.js';

type Line = { status: Status; label: string; detail: string };
/** An area of the digest: fine (one line) or a problem (lines and runbook buttons). */
type Area = { line: Line } | { problem: Line[]; runbooks: string[] };

const openRunbook = (id: string): Button => ({ label: `Open runbook: ${id}`, actionId: 'runbook.start', value: id });
const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))];
const levelStatus = { ok: 'ok', warn: 'warn', breach: 'fail', unknown: 'unknown' } as const;

function healthArea(d: Digest): Area {
  const { health } = d;
  if (health.verdict === 'healthy') return { line: { status: 'ok', label: 'Health', detail: 'all five checks passed' } };
  const failing = health.probes.filter((p) => p.status !== 'ok');
  return {
    problem: [
      { status: health.verdict === 'down' ? 'fail' : 'warn', label: `Health: ${health.verdict}`, detail: `${failing.length} of ${health.probes.length} checks not ok` },
      ...failing.map((p) => ({ status: p.status, label: p.label, detail: p.detail })),
    ],
    runbooks: ['quick-health-check'],
  };
}

function metricsArea(d: Digest): Area {
  const m = d.metrics;
  if ('error' in m) return { problem: [{ status: 'unknown', label: 'Key metrics', detail: `not read: ${m.error}` }], runbooks: ['quick-health-check'] };
  const was = (key: string, previous: number | undefined) => {
    const format = BASELINES.find((b) => b.key === key)?.format;
    return previous === undefined || !format ? '' : ` (was ${format(previous)})`;
  };
  const off = m.readings.filter((r) => r.level !== 'ok');
  if (off.length === 0) {
    const changed = m.readings.filter((r) => r.changed);
    const since = m.previousAt === undefined ? '' : changed.length ? `; changed: ${changed.map((r) => `${r.label} ${r.shown}${was(r.key, r.previous)}`).join(', ')}` : ', unchanged since the last digest';
    return { line: { status: 'ok', label: 'Key metrics', detail: `all within the healthy baselines${since}` } };
  }
  return {
    problem: off.map((r) => ({ status: levelStatus[r.level], label: r.label, detail: `${r.shown}${was(r.key, r.previous)} · baseline ${r.baseline} · ${r.level}` })),
    runbooks: unique(off.map((r) => runbookForGauge(r.key))),
  };
}

function incidentsArea(d: Digest): Area {
  if (d.incidents.length === 0) return { line: { status: 'ok', label: 'Incidents', detail: 'none open' } };
  return {
    problem: d.incidents.map((i) => ({ status: i.severity === 'P0' || i.severity === 'P1' ? 'fail' : 'warn', label: `Incident ${untrusted(i.id)} (${i.severity})`, detail: untrusted(i.title) })),
    runbooks: [],
  };
}

function alertsArea(d: Digest): Area {
  const { firing, silenced, events } = d.alerts;
  const fired = events.filter((e) => e.transition === 'fired');
  const resolved = events.filter((e) => e.transition === 'resolved');
  const history = events.length ? `last 24 h: ${fired.length} fired, ${resolved.length} resolved (${unique(events.map((e) => e.rule)).join(', ')})` : 'none fired in the last 24 h';
  const muted = silenced.length ? `; silenced: ${silenced.map((s) => s.rule).join(', ')}` : '';
  if (firing.length === 0) return { line: { status: events.length || silenced.length ? 'info' : 'ok', label: 'Alerts', detail: `none firing; ${history}${muted}` } };
  return {
    problem: [
      ...firing.map(({ state }) => ({
        status: 'fail' as const,
        label: `${state.rule} (${state.severity}) firing`,
        detail: `${state.value} · \`${state.condition}\` · for ${formatDuration(d.at - (state.firingSince ?? d.at))}`,
      })),
      { status: 'info', label: 'Alerts', detail: `${history}${muted}` },
    ],
    runbooks: unique(firing.map((f) => f.runbook)),
  };
}

function maintenanceArea(d: Digest): { area?: Area; next?: Line } {
  const { open, next } = d.maintenance;
  const nextLine: Line | undefined = next && {
    status: 'info',
    label: 'Maintenance',
    detail: `weekly run at ${stamp(new Date(next.at))} ("${next.label}")${next.monthly ? ', with the monthly checklist' : ''}`,
  };
  if (!open) return { area: nextLine ? undefined : { line: { status: 'ok', label: 'Maintenance', detail: 'nothing due' } }, next: nextLine };
  const items = open.items.filter((i) => !i.done);
  const failed = [open.ingest, open.cache].filter((s) => s.status === 'fail');
  return {
    area: {
      problem: [
        { status: 'warn', label: `Maintenance of ${open.id}`, detail: `${items.length} manual item${items.length === 1 ? '' : 's'} open: ${items.map((i) => i.label).join('; ')}` },
        ...failed.map((s) => ({ status: 'fail' as const, label: 'Maintenance step failed', detail: s.detail })),
      ],
      runbooks: unique(['weekly-maintenance', items.some((i) => i.group === 'monthly') ? 'monthly-maintenance' : undefined]),
    },
    next: nextLine,
  };
}

const lineText = (l: Line) => `${l.label} ${l.detail}`;

export function digestMessage(d: Digest): Message {
  const maintenance = maintenanceArea(d);
  const areas = [healthArea(d), metricsArea(d), incidentsArea(d), alertsArea(d), ...(maintenance.area ? [maintenance.area] : [])];
  const problems = areas.filter((a): a is Extract<Area, { problem: Line[] }> => 'problem' in a);
  const fine = [...areas.flatMap((a) => ('line' in a ? [a.line] : [])), ...(maintenance.next ? [maintenance.next] : [])];
  const parts: Part[] = [{ type: 'header', text: `SVP daily digest · ${stamp(new Date(d.at)).slice(0, 10)}` }];
  if (problems.length) parts.push({ type: 'text', text: `*${problems.length} area${problems.length === 1 ? ' needs' : 's need'} attention*` });
  for (const p of problems) {
    parts.push({ type: 'status', items: p.problem });
    if (p.runbooks.length) parts.push({ type: 'actions', buttons: p.runbooks.map(openRunbook) });
  }
  if (problems.length && fine.length) parts.push({ type: 'divider' });
  if (fine.length) parts.push({ type: 'status', items: fine });
  const previous = 'readings' in d.metrics && d.metrics.previousAt !== undefined ? ` · changes since ${stamp(new Date(d.metrics.previousAt))}` : '';
  parts.push({ type: 'context', text: `Daily health digest · ${stamp(new Date(d.at))} · ${d.health.target}${previous}` });
  const summary = problems.length ? problems.map((p) => `${statusEmoji[p.problem[0]!.status]} ${lineText(p.problem[0]!)}`).join('; ') : 'all clear';
  return { text: `SVP digest: ${summary}`, parts, visibility: 'channel' };
}
