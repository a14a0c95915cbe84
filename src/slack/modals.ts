/**
 * The "Declare incident" modal: Slack-only (the console has no modals). Built here as
 * Block Kit because a form has no place in the plain Message model.
 */
import type { WebClient } from '@slack/web-api';
import type { types, ViewOutput } from '@slack/bolt';
import { SEVERITIES, SEVERITY_LEVELS, isSeverity, type Severity } from '../core/incidents/model.js';
import { TITLE_MAX } from '../core/incidents/args.js';
import type { DeclareInput } from '../core/incidents/service.js';

export const DECLARE_CALLBACK = 'incident.declare';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const severityOption = (s: Severity) => ({ text: plain(`${s} — ${SEVERITY_LEVELS[s].name} (response: ${SEVERITY_LEVELS[s].target})`), value: s });

/** Prefilled from a health report's or alert's button; asks for a channel when none is known (App Home). */
export function declareModal(prefill: { severity?: Severity; title?: string; channelId?: string }): types.View {
  return {
    type: 'modal',
    callback_id: DECLARE_CALLBACK,
    private_metadata: JSON.stringify({ channelId: prefill.channelId ?? '' }),
    title: plain('Declare incident'),
    submit: plain('Declare'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'severity',
        label: plain('Severity'),
        element: { type: 'static_select', action_id: 'value', options: SEVERITIES.map(severityOption), ...(prefill.severity ? { initial_option: severityOption(prefill.severity) } : {}) },
      },
      { type: 'input', block_id: 'title', label: plain('Title'), element: { type: 'plain_text_input', action_id: 'value', max_length: TITLE_MAX, ...(prefill.title ? { initial_value: prefill.title.slice(0, TITLE_MAX) } : {}) } },
      { type: 'input', block_id: 'feature', optional: true, label: plain('Affected feature'), element: { type: 'plain_text_input', action_id: 'value', max_length: 150 } },
      { type: 'input', block_id: 'commander', optional: true, label: plain('Commander'), element: { type: 'users_select', action_id: 'value' } },
      ...(prefill.channelId ? [] : [{ type: 'input' as const, block_id: 'channel', label: plain('Post in channel'), element: { type: 'conversations_select' as const, action_id: 'value' } }]),
    ],
  };
}

/** The submitted form as a declaration, or the errors to show beside its inputs. */
export function readDeclareForm(view: ViewOutput): { input: Omit<DeclareInput, 'declaredBy'> } | { errors: Record<string, string> } {
  const value = (block: string) => view.state.values[block]?.value;
  const severity = value('severity')?.selected_option?.value ?? '';
  const title = (value('title')?.value ?? '').trim();
  const feature = (value('feature')?.value ?? '').trim();
  const commander = value('commander')?.selected_user ?? undefined;
  let channelId = '';
  try {
    channelId = String(JSON.parse(view.private_metadata || '{}').channelId ?? '');
  } catch {
    // metadata is ours; a broken one falls back to the channel input
  }
  channelId ||= value('channel')?.selected_conversation ?? '';
  const errors: Record<string, string> = {};
  if (!isSeverity(severity)) errors.severity = 'Pick P0, P1, P2 or P3.';
  if (!title) errors.title = 'Give the incident a title.';
  if (!channelId) errors.channel = 'Pick the channel to run the incident in.';
  if (Object.keys(errors).length || !isSeverity(severity)) return { errors };
  return { input: { severity, title, channelId, ...(feature ? { feature } : {}), ...(commander ? { commander } : {}) } };
}

export async function openModal(client: WebClient, triggerId: string, view: types.View): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view });
}
