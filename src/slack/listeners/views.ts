/**
 * The declare form. `/svp incident declare` without arguments and the "Declare incident"
 * buttons (health reports, alerts, App Home) open it; that needs the request's trigger_id,
 * which only this edge sees, so a middleware takes those requests before the generic
 * listeners. The form's submission declares the incident.
 */
import type { AnyMiddlewareArgs, App, BlockAction, SlashCommand } from '@slack/bolt';
import { isOpsError } from '../../errors.js';
import { note } from '../../core/message.js';
import { declareIncident, parseDeclareValue } from '../../interactions/incident.js';
import type { Severity } from '../../core/incidents/model.js';
import { DECLARE_CALLBACK, declareModal, openModal, readDeclareForm } from '../modals.js';
import { SLASH_COMMAND } from './commands.js';
import { SlackSurface } from '../surface.js';
import type { SlackDeps } from '../deps.js';
import type { Dispatcher } from '../../app/dispatcher.js';

interface FormRequest {
  triggerId: string;
  prefill: { severity?: Severity; title?: string; channelId?: string };
}

/** A request that should open the form instead of reaching a command or action handler. */
function formRequest(body: AnyMiddlewareArgs['body'], dispatcher: Dispatcher): FormRequest | undefined {
  if ('command' in body && body.command === SLASH_COMMAND) {
    const command = body as SlashCommand;
    const { command: def, rest } = dispatcher.resolve(command.text ?? '');
    return def?.name === 'incident declare' && rest === '' ? { triggerId: command.trigger_id, prefill: { channelId: command.channel_id } } : undefined;
  }
  if (body.type !== 'block_actions') return undefined;
  const click = body as BlockAction;
  const action = click.actions[0];
  if (action?.type !== 'button' || action.action_id.split(':')[0] !== 'incident.declare') return undefined;
  let prefill: FormRequest['prefill'] = {};
  try {
    prefill = parseDeclareValue(action.value ?? '');
  } catch {
    // a malformed button still opens an empty form
  }
  return { triggerId: click.trigger_id, prefill: { ...prefill, channelId: click.channel?.id ?? click.container?.channel_id } };
}

export function registerIncidentForms(app: App, { dispatcher, inflight, log }: SlackDeps): void {
  app.use(async (args) => {
    const form = formRequest(args.body, dispatcher);
    if (!form) return args.next();
    if ('ack' in args && args.ack) await args.ack();
    // A retried delivery carries a trigger_id already used by the first one.
    if (args.context.retryNum) return;
    try {
      await openModal(args.client, form.triggerId, declareModal(form.prefill));
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not open the declare form');
      if ('respond' in args && args.respond) await args.respond({ response_type: 'ephemeral', text: 'Could not open the form; use `/svp incident declare <P0-P3> <title>` instead.' }).catch(() => undefined);
    }
  });

  app.view(DECLARE_CALLBACK, async ({ ack, body, view, client }) => {
    const form = readDeclareForm(view);
    if ('errors' in form) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();
    const actor = { userId: body.user.id, channelId: form.input.channelId };
    const surface = new SlackSurface(client, actor, undefined, log);
    await inflight.run(async () => {
      const ctx = await dispatcher.context(actor, surface);
      // A modal is submitted once; a replayed submission must not declare a second incident.
      if (!(await ctx.services.store.claim('delivery', `view:${view.id}`))) {
        ctx.log.info({ view: view.id }, 'duplicate view submission ignored');
        return;
      }
      try {
        await surface.whisper(await declareIncident(ctx, form.input));
      } catch (err) {
        ctx.log.error({ err: (err as Error).message }, 'declaring from the form failed');
        const why = isOpsError(err) ? err.userMessage : `Something went wrong declaring the incident (ref ${ctx.correlationId}).`;
        await surface.whisper(note(why)).catch(() => undefined);
      }
    });
  });
}
