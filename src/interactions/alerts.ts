/** The Silence button of an alert notice: mutes the rule for SILENCE_BUTTON (operators). */
import { defineAction } from '../app/command.js';
import { allows } from '../app/roles.js';
import { note } from '../core/message.js';
import { parseDuration } from '../core/alerts/duration.js';
import { silencedMessage, SILENCE_BUTTON } from '../views/alerts.js';

export const silenceAlertAction = defineAction({
  id: 'alerts.silence',
  effect: 'mutate',
  async run(ctx, click) {
    const { alerts, audit, clock } = ctx.services;
    const entry = { userId: ctx.actor.userId, action: 'alerts silence', args: click.value.slice(0, 100), channelId: ctx.actor.channelId, correlationId: ctx.correlationId };
    if (!allows(ctx.role, 'operator')) {
      await audit.record({ ...entry, outcome: 'refused', detail: `needs operator, user is ${ctx.role}` });
      return note('Not allowed: silencing an alert is for operators (SVP_OPERATORS or SVP_ADMINS).');
    }
    const rule = alerts.rule(click.value);
    const state = await alerts.silence(rule, { until: clock.now() + parseDuration(SILENCE_BUTTON)!, by: ctx.actor.userId, reason: 'Silence button' });
    await audit.record({ ...entry, outcome: 'ok', detail: `until ${new Date(state.silence!.until).toISOString()}` });
    return silencedMessage(rule, state);
  },
});
