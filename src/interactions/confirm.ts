/** The danger button of a destructive step, and its Cancel. */
import { defineAction, type Context } from '../app/command.js';
import { isOpsError } from '../errors.js';
import { note } from '../core/message.js';
import { confirmationMessage } from '../views/confirmation.js';
import type { Confirmation } from '../app/confirmations.js';

async function refuse(ctx: Context, id: string, err: unknown, verb: 'confirm' | 'cancel' = 'confirm') {
  const c = await ctx.services.confirmations.get(id);
  await ctx.services.audit.record({
    userId: ctx.actor.userId,
    action: `${verb} ${c?.action ?? 'unknown step'}`,
    args: id,
    channelId: ctx.actor.channelId,
    outcome: 'refused',
    detail: isOpsError(err) ? err.userMessage : String(err),
    correlationId: ctx.correlationId,
  });
  // An expired confirmation's message should say so to everyone, not only to the clicker.
  if (c?.message && c.state === 'expired') await ctx.surface.update(c.message, confirmationMessage(c));
}

export const confirmAction = defineAction({
  id: 'confirm',
  effect: 'destructive',
  async run(ctx, click) {
    const { confirmations, audit } = ctx.services;
    let c: Confirmation;
    try {
      c = await confirmations.claim(click.value, ctx.actor.userId, ctx.role);
    } catch (err) {
      await refuse(ctx, click.value, err);
      throw err;
    }
    const ref = c.message ?? click.message;
    if (ref) await ctx.surface.update(ref, confirmationMessage(c));
    const started = performance.now();
    let finished: Confirmation;
    try {
      const reply = await confirmations.executor(c.target.kind)(ctx, c.target);
      finished = { ...c, state: 'done', finishedAt: ctx.services.clock.now(), result: reply?.text.slice(0, 500) ?? 'done' };
    } catch (err) {
      finished = { ...c, state: 'failed', finishedAt: ctx.services.clock.now(), result: isOpsError(err) ? err.userMessage : `internal error (ref ${ctx.correlationId})` };
      if (!isOpsError(err)) ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'confirmed step crashed');
    }
    await confirmations.save(finished);
    await audit.record({
      userId: ctx.actor.userId,
      action: `confirm ${c.action}`,
      args: JSON.stringify(c.target).slice(0, 200),
      channelId: ctx.actor.channelId,
      outcome: finished.state === 'done' ? 'ok' : 'failed',
      detail: `requested by ${c.requestedBy}: ${finished.result}`,
      durationMs: Math.round(performance.now() - started),
      correlationId: ctx.correlationId,
    });
    if (ref) await ctx.surface.update(ref, confirmationMessage(finished));
    return ref ? undefined : confirmationMessage(finished);
  },
});

export const cancelAction = defineAction({
  id: 'confirm.cancel',
  effect: 'mutate',
  async run(ctx, click) {
    let c: Confirmation;
    try {
      c = await ctx.services.confirmations.cancel(click.value, ctx.actor.userId, ctx.role);
    } catch (err) {
      await refuse(ctx, click.value, err, 'cancel');
      throw err;
    }
    await ctx.services.audit.record({ userId: ctx.actor.userId, action: `cancel ${c.action}`, args: c.id, channelId: ctx.actor.channelId, outcome: 'ok', correlationId: ctx.correlationId });
    const ref = c.message ?? click.message;
    if (ref) await ctx.surface.update(ref, confirmationMessage(c));
    return ref ? undefined : note('Cancelled: nothing was run.');
  },
});
