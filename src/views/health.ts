/** HealthReport and MetricsReport as plain messages. */
import type { HealthReport, Verdict } from '../core/health.js';
import type { Level, MetricsReport } from '../core/metrics.js';
import type { Message, Part, Status } from '../core/message.js';

const verdictText: Record<Verdict, string> = {
  healthy: 'All five checks passed',
  degraded: 'Degraded',
  down: 'Down',
};

export const stamp = (at: Date) => at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function healthMessage(report: HealthReport): Message {
  const failing = report.probes.filter((p) => p.status !== 'ok');
  const parts: Part[] = [
    { type: 'header', text: `SVP health: ${verdictText[report.verdict]}` },
    {
      type: 'status',
      items: report.probes.map((p) => ({ status: p.status, label: p.label, detail: `${p.detail} · ${p.latencyMs} ms` })),
    },
    { type: 'context', text: `Quick Health Check · ${stamp(report.checkedAt)} · ${report.target} · ${report.durationMs} ms` },
  ];
  if (report.verdict !== 'healthy') {
    const severity = report.verdict === 'down' ? 'P0' : 'P2';
    parts.push({
      type: 'actions',
      buttons: [
        { label: 'Declare incident', actionId: 'incident.declare', value: `${severity}|Health check: ${failing.map((p) => p.label).join(', ')} failing`.slice(0, 150), style: 'danger' },
        { label: 'Run again', actionId: 'health.rerun', value: 'health' },
      ],
    });
  }
  const summary = failing.length
    ? `SVP ${report.verdict}: ${failing.map((p) => `${p.label} ${p.status}`).join(', ')}`
    : 'SVP healthy: all five checks passed';
  return { text: summary, parts, visibility: 'channel' };
}

const levelStatus: Record<Level, Status> = { ok: 'ok', warn: 'warn', breach: 'fail', unknown: 'unknown' };

export function metricsMessage(report: MetricsReport): Message {
  const extra = [
    report.extra.requestRate !== undefined ? `request rate ${report.extra.requestRate}/s` : undefined,
    report.extra.activeRequests !== undefined ? `active requests ${report.extra.activeRequests}${report.extra.activeRequests > 20 ? ' (over 20: overloaded)' : ''}` : undefined,
  ].filter(Boolean);
  const problems = report.readings.filter((r) => r.level !== 'ok');
  return {
    text: problems.length ? `SVP metrics: ${problems.map((r) => `${r.label} ${r.level} (${r.shown})`).join(', ')}` : 'SVP metrics: all within the healthy baselines',
    visibility: 'channel',
    parts: [
      { type: 'header', text: `Key metrics: ${report.worst === 'ok' ? 'all within baseline' : report.worst === 'breach' ? 'baseline breached' : report.worst === 'warn' ? 'outside baseline' : 'some not reported'}` },
      {
        type: 'status',
        items: report.readings.map((r) => ({ status: levelStatus[r.level], label: r.label, detail: `${r.shown} · baseline ${r.baseline} · ${r.level}` })),
      },
      ...(extra.length ? [{ type: 'text' as const, text: extra.join(' · ') }] : []),
      { type: 'context', text: `Healthy Baselines of the runbook · ${stamp(report.readAt)} · ${report.target}/metrics` },
    ],
  };
}
