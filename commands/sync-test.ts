import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { syncTest, TEST_PRODUCT } from '../src/core/ops.js';
import { syncTestMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'sync test',
  usage: 'sync test [product-name]',
  summary: "Send the runbook's test webhook, then ask the AI whether the product arrived (Webhook Sync Failures)",
  examples: ['/svp sync test', '/svp sync test Test Product'],
  args: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().max(100, 'expected a product name of at most 100 characters'))
    .transform((name) => name || TEST_PRODUCT),
  effect: 'mutate',
  visibility: 'channel',
  async run({ services }, product) {
    return syncTestMessage(await syncTest(services.svp, product), services.svp.target);
  },
});
