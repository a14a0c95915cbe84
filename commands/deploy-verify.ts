import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { startRun } from '../src/interactions/runbook.js';

export default defineCommand({
  name: 'deploy verify',
  usage: 'deploy verify',
  summary: 'Post-deployment Verification: health check, a test AI query, error rate below 1% and response time at baseline (the deployment-verification runbook)',
  examples: ['/svp deploy verify'],
  args: noArgs,
  effect: 'read',
  async run(ctx) {
    await startRun(ctx, 'deployment-verification');
  },
});
