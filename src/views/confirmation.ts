/** The message of a destructive step, from the request to its result. */
import type { Confirmation } from '../app/confirmations.js';
import type { Message, Part, Status } from '../core/message.js';

const stateStatus: Record<Confirmation['state'], Status> = {
  pending: 'pending',
  running: 'pending',
  done: 'ok',
  failed: 'fail',
  expired: 'skipped',
  cancelled: 'skipped',
  interrupted: 'warn',
};

const time = (ms: number) => new Date(ms).toISOString().slice(11, 19) + ' UTC';

export function confirmationMessage(c: Confirmation): Message {
  const who = [`requested by <@${c.requestedBy}> at ${time(c.createdAt)}`];
  if (c.confirmedBy) who.push(`${c.state === 'cancelled' ? 'cancelled' : 'confirmed'} by <@${c.confirmedBy}>`);
  const parts: Part[] = [
    { type: 'header', text: `${c.state === 'pending' ? 'Confirm' : 'Destructive step'}: ${c.action}` },
    { type: 'text', text: `:warning: ${c.text}` },
  ];
  if (c.state === 'pending') {
    parts.push({
      type: 'actions',
      buttons: [
        {
          label: c.label,
          actionId: 'confirm',
          value: c.id,
          style: 'danger',
          confirm: { title: c.title.slice(0, 100), text: c.text.slice(0, 300), confirm: 'Yes, run it', deny: 'Cancel' },
        },
        { label: 'Cancel', actionId: 'confirm.cancel', value: c.id },
      ],
    });
    parts.push({ type: 'context', text: `Only an admin can confirm, within 5 minutes (until ${time(c.expiresAt)}). ${who.join(' · ')}` });
  } else {
    const label = { running: 'Running…', done: 'Done', failed: 'Failed', expired: 'Expired: not run', cancelled: 'Cancelled: not run', interrupted: 'Interrupted', pending: '' }[c.state];
    parts.push({ type: 'status', items: [{ status: stateStatus[c.state], label, detail: c.result ?? (c.state === 'running' ? 'in progress' : '—') }] });
    parts.push({ type: 'context', text: who.join(' · ') + (c.finishedAt ? ` · finished ${time(c.finishedAt)}` : '') });
  }
  return { text: `${c.action}: ${c.state === 'pending' ? 'waiting for an admin to confirm' : c.state}`, parts, visibility: 'channel' };
}
