/**
 * Runbook runs at the edge: starting one, the buttons and checkbox of a run message
 * (run a mutating step, tick a manual one, pause, resume, cancel, start a triaged
 * runbook), the confirmed destructive step, free-text triage and the poll sweep.
 */
import { defineAction, roleFor, type Context, type Poster } from '../app/command.js';
import { allows } from '../app/roles.js';
import type { Dispatcher } from '../app/dispatcher.js';
import type { Services } from '../app/services.js';
import { OpsError } from '../errors.js';
import type { Message } from '../core/message.js';
import { currentStep, type Run } from '../core/runbooks/engine.js';
import { callOf } from '../core/runbooks/plan.js';
import { SWEEP_MS, type RunObserver } from '../core/runbooks/service.js';
import { confirmationMessage } from '../views/confirmation.js';
import { runMessage, triageMessage } from '../views/runbook.js';

/** Shows a run through `poster` (the clicker's surface, or the bot's own for the sweep). */
export function runObserver(services: Services, poster: Poster): RunObserver {
  const thread = (run: Run) => (run.message ? { channelId: run.message.channelId, threadTs: run.message.ts } : { channelId: run.channelId });
  return {
    async changed(run) {
      if (run.message) await poster.update(run.message, runMessage(run));
      if (run.state === 'done') {
        await services.audit.record({ userId: run.startedBy, action: `runbook ${run.runbookId}`, args: run.id, channelId: run.channelId, outcome: 'ok', detail: runMessage(run).text.slice(0, 300) });
      }
    },
    async confirm(run, planned) {
      const call = callOf(planned.step);
      const c = await services.confirmations.create({
        title: `Run “${planned.step.title}”?`.slice(0, 100),
        text: `Runbook ${run.title}: ${planned.step.title}${call ? ` (${call} on ${services.svp.target})` : ''}. This changes SVP and cannot be undone.`.slice(0, 300),
        label: `Confirm: ${planned.step.title}`.slice(0, 60),
        action: `runbook ${run.runbookId} › ${planned.step.id}`,
        target: { kind: 'runbook-step', runId: run.id, key: planned.key },
        requestedBy: run.startedBy,
        channelId: run.channelId,
      });
      const ref = await poster.post(confirmationMessage(c), thread(run));
      await services.confirmations.save({ ...c, message: ref });
      await services.audit.record({ userId: run.startedBy, action: c.action, args: run.id, channelId: run.channelId, outcome: 'requested', detail: `confirmation ${c.id} awaits an admin` });
      return c.id;
    },
    async notify(run, text) {
      await poster.post({ text, parts: [{ type: 'text', text }], visibility: 'channel' }, thread(run));
    },
  };
}

/** Starts a run: posts its message, then runs it until it waits or ends. */
export async function startRun(ctx: Context, runbookId: string, inputs: Record<string, string> = {}): Promise<void> {
  const { runbooks, audit } = ctx.services;
  const run = await runbooks.start({ runbookId, inputs, startedBy: ctx.actor.userId, channelId: ctx.actor.channelId });
  await audit.record({ userId: ctx.actor.userId, action: `runbook ${runbookId}`, args: Object.entries(inputs).map(([k, v]) => `${k}=${v}`).join(' ').slice(0, 200), channelId: ctx.actor.channelId, outcome: 'requested', detail: `run ${run.id} started`, correlationId: ctx.correlationId });
  const ref = await ctx.surface.post(runMessage(run));
  await runbooks.attach(run.id, ref);
  await runbooks.drive(run.id, runObserver(ctx.services, ctx.surface));
}

/** The run and its current step named by a `runId|stepKey` value, checked against the clicker's role. */
async function stepOf(ctx: Context, value: string) {
  const [runId = '', key = ''] = value.split('|');
  const run = await ctx.services.runbooks.run(runId);
  const planned = run && currentStep(run);
  if (!run || !planned || planned.key !== key) throw new OpsError('conflict', 'Nothing done: this run has moved on from that step.');
  const needed = roleFor[planned.step.effect];
  if (!allows(ctx.role, needed)) {
    await record(ctx, run, planned.step.title, 'refused', `needs ${needed}, user is ${ctx.role}`);
    throw new OpsError('forbidden', `Not allowed: “${planned.step.title}” is for ${needed}s only (${needed === 'admin' ? 'SVP_ADMINS' : 'SVP_OPERATORS or SVP_ADMINS'}).`);
  }
  return { run, planned, key };
}

function record(ctx: Context, run: Run, what: string, outcome: 'ok' | 'failed' | 'refused', detail?: string) {
  return ctx.services.audit.record({ userId: ctx.actor.userId, action: `runbook ${run.runbookId} › ${what}`, args: run.id, channelId: ctx.actor.channelId, outcome, detail: detail?.slice(0, 300), correlationId: ctx.correlationId });
}

/** Records how the step a person let run went. */
async function recordStep(ctx: Context, run: Run | undefined, key: string, title: string) {
  const result = run?.results[key];
  if (run && result) await record(ctx, run, title, result.status === 'fail' ? 'failed' : 'ok', result.detail);
}

export const runStepAction = defineAction({
  id: 'runbook.step',
  effect: 'mutate',
  async run(ctx, click) {
    const { run, planned, key } = await stepOf(ctx, click.value);
    const observer = runObserver(ctx.services, ctx.surface);
    if (run.results[key]?.waitingFor === 'admin') {
      await ctx.services.runbooks.reconfirm(run.id, key, observer);
      return undefined;
    }
    const after = await ctx.services.runbooks.runGated(run.id, key, 'operator', ctx.actor.userId, observer);
    await recordStep(ctx, after, key, planned.step.title);
  },
});

export const tickStepAction = defineAction({
  id: 'runbook.tick',
  effect: 'mutate',
  async run(ctx, click) {
    const ticked = click.selected ?? [click.value];
    const value = ticked.find((v) => v.includes('|'));
    // Unticking a done step changes nothing: it was done.
    if (!value) return undefined;
    const { run, planned, key } = await stepOf(ctx, value);
    const after = await ctx.services.runbooks.runGated(run.id, key, 'tick', ctx.actor.userId, runObserver(ctx.services, ctx.surface));
    await recordStep(ctx, after, key, `${planned.step.title} (ticked)`);
  },
});

/** Pause, resume and cancel: the person who started the run, or an operator. */
function controlAction(id: string, action: 'pause' | 'resume' | 'cancel') {
  return defineAction({
    id,
    effect: 'mutate',
    async run(ctx, click) {
      const { runbooks } = ctx.services;
      const run = await runbooks.run(click.value);
      if (!run) throw new OpsError('not_found', 'This run no longer exists.');
      if (run.startedBy !== ctx.actor.userId && !allows(ctx.role, 'operator')) {
        await record(ctx, run, action, 'refused', `not the starter, user is ${ctx.role}`);
        throw new OpsError('forbidden', `Not allowed: only <@${run.startedBy}>, who started this run, or an operator may ${action} it.`);
      }
      const observer = runObserver(ctx.services, ctx.surface);
      const after = action === 'resume' ? await runbooks.resume(run.id, ctx.actor.userId, observer) : await runbooks[action](run.id, ctx.actor.userId);
      if (action !== 'resume' && after) await observer.changed(after);
      await record(ctx, run, action, 'ok');
    },
  });
}

export const pauseRunAction = controlAction('runbook.pause', 'pause');
export const resumeRunAction = controlAction('runbook.resume', 'resume');
export const cancelRunAction = controlAction('runbook.cancel', 'cancel');

export const startRunbookAction = defineAction({
  id: 'runbook.start',
  effect: 'mutate',
  async run(ctx, click) {
    await startRun(ctx, click.value);
  },
});

/** A crash may have come between saving a run's step and showing it: show every live run as stored. */
export async function refreshRunMessages(services: Services): Promise<void> {
  for (const { id } of await services.runbooks.live()) {
    try {
      // Read again just before showing it: another replica may have moved it meanwhile.
      const run = await services.runbooks.run(id);
      if (run?.message) await services.poster.update(run.message, runMessage(run));
    } catch (err) {
      services.log.warn({ runId: id, err: (err as Error).message }, 'could not refresh a run message');
    }
  }
}

/**
 * Hooks runbooks into the bot: the executor of confirmed destructive steps, free-text
 * triage for input that names no command, and the sweep that polls waiting jobs.
 */
export function wireRunbooks(services: Services, dispatcher: Dispatcher): void {
  services.confirmations.register('runbook-step', async (ctx, target): Promise<Message> => {
    const key = String(target.key);
    const run = await services.runbooks.runGated(String(target.runId), key, 'admin', ctx.actor.userId, runObserver(services, ctx.surface));
    const result = run?.results[key];
    if (result?.status === 'fail') throw new OpsError('upstream', result.detail);
    return { text: result?.detail ?? 'done', parts: [] };
  });
  dispatcher.setFallback(async (_ctx, text) => {
    const result = await services.runbooks.triage(text);
    return result.matches.length ? triageMessage(text, result) : undefined;
  });
  services.scheduler.every('runbook-sweep', SWEEP_MS, () => services.runbooks.sweep(runObserver(services, services.poster)));
}
