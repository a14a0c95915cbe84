import { defineCommand } from '../src/app/command.js';
import { text } from '../src/app/args.js';
import { productVisibility } from '../src/core/ops.js';
import { visibilityMessage } from '../src/views/ops.js';

export default defineCommand({
  name: 'sync check',
  usage: 'sync check <product-name>',
  summary: 'Check that a product is visible to AI queries (POST /ai/query "Tell me about …")',
  examples: ['/svp sync check Product X'],
  args: text('a product name after `sync check`', 100),
  effect: 'read',
  visibility: 'channel',
  async run({ services }, product) {
    return visibilityMessage(await productVisibility(services.svp, product), services.svp.target);
  },
});
