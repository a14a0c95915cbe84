/** The App Home tab: open incidents against their target, the last health check, firing alerts. */
import type { Button, Message, Part } from '../core/message.js';
import { untrusted } from '../core/message.js';
import type { HealthReport } from '../core/health.js';
import type { AlertState } from '../core/alerts/state.js';
import type { IncidentState } from '../core/incidents/model.js';
import { utcTime } from '../core/incidents/timeline.js';
import { healthMessage } from './health.js';
import { incidentLine } from './incident.js';

/** The health report as stored by `/svp health` (JSON: its date is a string). */
export type StoredHealthReport = Omit<HealthReport, 'checkedAt'> & { checkedAt: string };

export interface HomeData {
  incidents: readonly IncidentState[];
  health?: StoredHealthReport;
  alerts: readonly AlertState[];
  now: number;
}

const MAX_ALERT_BUTTONS = 5;

function healthParts(stored: StoredHealthReport | undefined): Part[] {
  if (!stored) return [{ type: 'text', text: 'No health check yet: run `/svp health`.' }];
  const report = healthMessage({ ...stored, checkedAt: new Date(stored.checkedAt) });
  // "Run again" answers in a channel; the Home tab has none. "Declare incident" stays.
  return report.parts.map((p) => (p.type === 'actions' ? { ...p, buttons: p.buttons.filter((b) => b.actionId !== 'health.rerun') } : p));
}

function alertParts(alerts: readonly AlertState[]): Part[] {
  if (!alerts.length) return [{ type: 'text', text: ':large_green_circle: No alert is firing.' }];
  const lines = alerts.map((a) => `:red_circle: *${untrusted(a.rule)}* (${a.severity}) · ${untrusted(a.condition)} · now ${untrusted(a.value)}${a.firingSince ? ` · firing since ${utcTime(a.firingSince)}` : ''}${a.silence ? ' · silenced' : ''}`);
  const buttons: Button[] = alerts.slice(0, MAX_ALERT_BUTTONS).map((a) => ({ label: `Declare incident: ${a.rule}`.slice(0, 75), actionId: 'incident.declare', value: `${a.severity}|Alert ${a.rule}: ${a.condition}`.slice(0, 150) }));
  return [{ type: 'text', text: lines.join('\n') }, { type: 'actions', buttons }];
}

export function homeMessage({ incidents, health, alerts, now }: HomeData): Message {
  const open = incidents.filter((s) => !s.resolved);
  const parts: Part[] = [
    { type: 'header', text: 'SVP operations' },
    { type: 'text', text: `*Open incidents* (${open.length})` },
    { type: 'text', text: open.length ? open.map((s) => incidentLine(s, now)).join('\n') : 'No open incidents. `/svp incident declare <P0-P3> <title>` starts one.' },
    { type: 'divider' },
    { type: 'text', text: '*Last health check*' },
    ...healthParts(health),
    { type: 'divider' },
    { type: 'text', text: `*Firing alerts* (${alerts.length})` },
    ...alertParts(alerts),
    // No clock time here: the tab is republished only when what it shows changes.
    { type: 'context', text: 'Kept current: this tab is refreshed within a minute of any change.' },
  ];
  return { text: `${open.length} open incidents, ${alerts.length} firing alerts`, parts };
}
