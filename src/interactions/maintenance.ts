/** Ticks on a maintenance run's checklists: who and when, kept in the run's record. */
import { defineAction } from '../app/command.js';
import { note } from '../core/message.js';
import { tickChecklist } from '../core/maintenance.js';
import { maintenanceMessage, parseChecklistId, TICK_ACTION } from '../views/maintenance.js';

export const tickMaintenanceAction = defineAction({
  id: TICK_ACTION,
  effect: 'mutate',
  async run(ctx, click) {
    const target = parseChecklistId(click.blockId ?? '');
    const run = target && (await tickChecklist(ctx.services.store, target.runId, target.group, click.selected ?? [], ctx.actor.userId, ctx.services.clock.now()));
    if (!run) return note('This maintenance checklist is no longer recorded; nothing was ticked.');
    const ref = run.message ?? click.message;
    if (!ref) return maintenanceMessage(run);
    await ctx.surface.update(ref, maintenanceMessage(run));
    return undefined;
  },
});
