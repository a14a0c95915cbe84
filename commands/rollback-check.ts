import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { startRun } from '../src/interactions/runbook.js';

export default defineCommand({
  name: 'rollback check',
  usage: 'rollback check',
  summary: 'When to Rollback: the criteria on live metrics, and a recommendation with its reasons; it never rolls back (the rollback-check runbook)',
  examples: ['/svp rollback check'],
  args: noArgs,
  effect: 'read',
  async run(ctx) {
    await startRun(ctx, 'rollback-check');
  },
});
