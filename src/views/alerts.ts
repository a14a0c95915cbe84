/** Alert notices, the `alerts` overview and silences as plain messages. */
import { untrusted, type Button, type Message, type Part, type Status } from '../core/message.js';
import type { Notice, RuleStatus } from '../core/alerts/monitor.js';
import type { AlertRule } from '../core/alerts/rules.js';
import type { AlertState } from '../core/alerts/state.js';
import { formatDuration } from '../core/alerts/duration.js';
import { stamp } from './health.js';

/** How long the Silence button mutes a rule. */
export const SILENCE_BUTTON = '1h';

/** A Slack mention of a user (U…/W…) or a user group (S…). */
export const mention = (id: string) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);

/** Who to page for a page_oncall rule, or a hint when nobody is configured. */
function page(rule: AlertRule, oncall: readonly string[]): string | undefined {
  if (!rule.actions.includes('page_oncall')) return undefined;
  return oncall.length ? `${oncall.map(mention).join(' ')} you are paged.` : 'No on-call to page: set SVP_ONCALL.';
}

/** Open runbook, Declare incident, Silence: what a firing alert offers. */
export function alertButtons(rule: AlertRule, state: AlertState): Button[] {
  return [
    { label: 'Open runbook', actionId: 'runbook.start', value: rule.runbook, style: 'primary' },
    { label: 'Declare incident', actionId: 'incident.declare', value: `${rule.severity}|Alert ${rule.name}: ${rule.condition.text} (observed ${state.value})`.slice(0, 150) },
    { label: `Silence ${SILENCE_BUTTON}`, actionId: 'alerts.silence', value: rule.name },
  ];
}

const since = (at: number | undefined, now: number) => (at === undefined ? 'unknown' : `${stamp(new Date(at))} (${formatDuration(now - at)})`);

function firingParts(rule: AlertRule, state: AlertState, now: number, lead: string, oncall: readonly string[]): Part[] {
  const paged = page(rule, oncall);
  return [
    { type: 'text', text: `${lead}${paged ? `\n${paged}` : ''}` },
    {
      type: 'fields',
      fields: [
        { label: 'Observed', value: state.value },
        { label: 'Threshold', value: `\`${rule.condition.text}\` for ${formatDuration(rule.forMs)}` },
        { label: 'Since', value: since(state.since, now) },
        { label: 'Severity', value: `${rule.severity} · ${rule.actions.join(' + ')}` },
      ],
    },
    { type: 'actions', buttons: alertButtons(rule, state) },
  ];
}

/** The one post of a transition, reminder or expired silence. */
export function alertNoticeMessage(notice: Notice, oncall: readonly string[], now: number): Message {
  const { rule, state } = notice;
  const name = `*${rule.name}* (${rule.severity})`;
  switch (notice.kind) {
    case 'fired':
      return {
        text: `:rotating_light: ${rule.severity} alert ${rule.name} firing: ${state.value} (${rule.condition.text})`,
        visibility: 'channel',
        parts: [{ type: 'header', text: `${rule.severity} alert firing: ${rule.name}` }, ...firingParts(rule, state, now, `:rotating_light: ${name} is firing.`, oncall)],
      };
    case 'reminder':
      return {
        text: `:repeat: ${rule.name} still firing: ${state.value}`,
        visibility: 'channel',
        parts: firingParts(rule, state, now, `:repeat: ${name} is still firing, since ${since(state.firingSince, now)}.`, oncall),
      };
    case 'resolved': {
      const lasted = state.firingSince === undefined ? '' : ` after ${formatDuration(now - state.firingSince)}`;
      const text = `:white_check_mark: ${name} resolved${lasted}: now ${state.value} (\`${rule.condition.text}\` no longer holds).`;
      return { text: `${rule.name} resolved: now ${state.value}`, visibility: 'channel', parts: [{ type: 'text', text }] };
    }
    case 'silence-expired':
      if (state.phase === 'firing') {
        return {
          text: `:alarm_clock: Silence on ${rule.name} expired; it is firing: ${state.value}`,
          visibility: 'channel',
          parts: firingParts(rule, state, now, `:alarm_clock: The silence on ${name} has expired, and it is firing.`, oncall),
        };
      }
      return {
        text: `Silence on ${rule.name} expired; it is ${state.phase === 'pending' ? 'pending' : 'not firing'}`,
        visibility: 'channel',
        parts: [{ type: 'text', text: `:alarm_clock: The silence on ${name} has expired. It is ${state.phase === 'pending' ? 'pending' : 'not firing'} (now ${state.value}).` }],
      };
  }
}

const phaseStatus = (state: AlertState | undefined): Status =>
  state?.silence ? 'skipped' : state?.phase === 'firing' ? 'fail' : state?.phase === 'pending' ? 'warn' : state ? 'ok' : 'unknown';

function phaseText(rule: AlertRule, state: AlertState | undefined, now: number): string {
  const muted = state?.silence && state.silence.until > now ? ` · silenced until ${stamp(new Date(state.silence.until))}${state.silence.reason ? ` (${untrusted(state.silence.reason)})` : ''}` : '';
  if (!state) return 'not evaluated yet';
  if (state.phase === 'firing') return `*firing* since ${since(state.firingSince, now)}${muted}`;
  if (state.phase === 'pending') return `pending since ${since(state.since, now)}, fires after ${formatDuration(rule.forMs)}${muted}`;
  return `inactive${muted}`;
}

/** `/svp alerts`: each rule, its state and its current value. */
export function alertsMessage(rows: RuleStatus[], now: number, schedule: string): Message {
  const firing = rows.filter((r) => r.state?.phase === 'firing');
  return {
    text: firing.length ? `Alerts firing: ${firing.map((r) => r.rule.name).join(', ')}` : 'No alerts firing',
    visibility: 'ephemeral',
    parts: [
      { type: 'header', text: firing.length ? `Alert rules: ${firing.length} firing` : 'Alert rules: none firing' },
      {
        type: 'status',
        items: rows.map(({ rule, state, current }) => ({
          status: phaseStatus(state),
          label: `${rule.name} (${rule.severity})`,
          detail: `\`${rule.condition.text}\` for ${formatDuration(rule.forMs)} · now ${current ?? state?.value ?? 'no data'} · ${phaseText(rule, state, now)}`,
        })),
      },
      { type: 'context', text: `${schedule} · Silence one: \`/svp alerts silence <rule> <duration> [reason]\`` },
    ],
  };
}

export function silencedMessage(rule: AlertRule, state: AlertState): Message {
  const s = state.silence!;
  const text = `:no_bell: <@${s.by}> silenced *${rule.name}* until ${stamp(new Date(s.until))}${s.reason ? `: ${untrusted(s.reason)}` : ''}. Its state is still evaluated; the expiry will be announced.`;
  return { text: `${rule.name} silenced until ${stamp(new Date(s.until))}`, visibility: 'channel', parts: [{ type: 'text', text }] };
}
