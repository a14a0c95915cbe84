/** `/svp …`: ack at once, then let the dispatcher work and reply through response_url. */
import type { App } from '@slack/bolt';
import { SlackSurface } from '../surface.js';
import { note } from '../../core/message.js';
import type { SlackDeps } from '../deps.js';

export const SLASH_COMMAND = '/svp';

export function registerCommands(app: App, { dispatcher, inflight, log }: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    if (!inflight.isAccepting) {
      await ack({ response_type: 'ephemeral', text: 'svp-ops is restarting; try again in a few seconds.' });
      return;
    }
    await ack();
    const surface = new SlackSurface(client, { channelId: command.channel_id, userId: command.user_id }, respond, log);
    await inflight.run(async () => {
      try {
        const reply = await dispatcher.command({
          text: command.text ?? '',
          actor: { userId: command.user_id, channelId: command.channel_id },
          surface,
          deliveryKey: `command:${command.trigger_id}`,
        });
        if (reply) await surface.reply(reply);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'could not deliver a reply');
        await surface.reply(note('Something went wrong delivering this reply; the details are in the bot log.')).catch(() => undefined);
      }
    });
  });
}
