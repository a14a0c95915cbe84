import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { RUNBOOK_ID } from '../src/core/runbooks/schema.js';
import { startRun } from '../src/interactions/runbook.js';
import { effectOfPlan } from '../src/core/runbooks/plan.js';
import { planMessage, runbookListMessage } from '../src/views/runbook.js';

/** Nothing (list them), or `<id> [name=value | name="a value"]… [--dry-run]`. */
const RunbookArgs = z.string().transform((raw, ctx) => {
  const words = [...raw.trim().matchAll(/([a-z][a-z0-9_]*)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g)];
  let id: string | undefined;
  let dryRun = false;
  const inputs: Record<string, string> = {};
  for (const [, name, double, single, bare, word] of words) {
    if (name) inputs[name] = double ?? single ?? bare ?? '';
    else if (word === '--dry-run') dryRun = true;
    else if (!id && RUNBOOK_ID.test(word!)) id = word;
    else {
      ctx.addIssue({ code: 'custom', message: `expected a runbook id, then name=value inputs and --dry-run, not "${word!.slice(0, 30)}"` });
      return z.NEVER;
    }
  }
  if (!id && (dryRun || Object.keys(inputs).length)) {
    ctx.addIssue({ code: 'custom', message: 'expected a runbook id first' });
    return z.NEVER;
  }
  return { id, inputs, dryRun };
});

export default defineCommand({
  name: 'runbook',
  aliases: ['runbooks'],
  usage: 'runbook [<id> [name=value…] [--dry-run]]',
  summary: 'Lists the runbooks, or runs one step by step in a thread (--dry-run shows its plan and calls nothing)',
  examples: ['/svp runbook', '/svp runbook slow-ai-queries', '/svp runbook cognee-errors job_id=abc123', '/svp runbook high-memory --dry-run'],
  args: RunbookArgs,
  effect: 'read',
  async run(ctx, { id, inputs, dryRun }) {
    const { runbooks } = ctx.services;
    if (!id) return runbookListMessage(runbooks.list().map((runbook) => ({ runbook, effect: effectOfPlan(runbooks.plan(runbook.id)) })));
    if (dryRun) {
      const plan = runbooks.plan(id); // says "No runbook …" for an unknown id
      return planMessage(runbooks.get(id)!, plan);
    }
    await startRun(ctx, id, inputs);
  },
});
