/** Buttons and checkboxes: ack at once, route by action_id to the interaction handlers. */
import type { App, BlockAction } from '@slack/bolt';
import { SlackSurface } from '../surface.js';
import type { SlackDeps } from '../deps.js';

export function registerActions(app: App, { dispatcher, inflight, log }: SlackDeps): void {
  app.action<BlockAction>(/.*/, async ({ ack, body, action, respond, client }) => {
    await ack();
    // During a graceful shutdown a click is not started: it would be cut off half-way.
    if (!inflight.isAccepting) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'svp-ops is restarting; click again in a few seconds.' }).catch(() => undefined);
      return;
    }
    if (action.type !== 'button' && action.type !== 'checkboxes') return;
    const channelId: string = body.channel?.id ?? body.container?.channel_id ?? '';
    const messageTs: string | undefined = body.container?.message_ts ?? body.message?.ts;
    const threadTs: string | undefined = body.message?.thread_ts;
    const surface = new SlackSurface(client, { channelId, userId: body.user.id, threadTs }, respond, log);
    const click =
      action.type === 'button'
        ? { value: action.value ?? '' }
        : { value: action.selected_options.map((o) => o.value ?? '').join(','), selected: action.selected_options.map((o) => o.value ?? ''), blockId: action.block_id };
    await inflight.run(async () => {
      try {
        const reply = await dispatcher.action({
          actionId: action.action_id,
          click: { ...click, message: messageTs && channelId ? { channelId, ts: messageTs } : undefined },
          actor: { userId: body.user.id, channelId, threadTs: threadTs ?? messageTs },
          surface,
          deliveryKey: `action:${body.trigger_id}:${action.action_id}:${action.action_ts}`,
        });
        if (reply) await surface.reply(reply);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'could not deliver an interaction reply');
      }
    });
  });
}
