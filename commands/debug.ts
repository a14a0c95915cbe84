import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { ID } from '../src/app/args.js';
import { debugQuery } from '../src/core/debug.js';
import { debugMessage } from '../src/views/ops.js';

/**
 * `<question> [product-id]`: a last word of 6 or more characters with a digit in it
 * (like 550e8400) is the product id, and must then be a safe id.
 */
const args = z.string().transform((raw, ctx) => {
  const ws = raw.trim().split(/\s+/).filter(Boolean);
  const last = ws.at(-1);
  const productId = ws.length > 1 && last && last.length >= 6 && /\d/.test(last) && !/[?!.,]$/.test(last) ? ws.pop() : undefined;
  const question = ws.join(' ');
  const problem = !question
    ? 'expected a question after `debug`'
    : question.length > 500
      ? 'expected a question of at most 500 characters'
      : productId !== undefined && !ID.test(productId)
        ? 'expected a product id of letters, digits, - or _ as the last word'
        : undefined;
  if (problem) {
    ctx.addIssue(problem);
    return z.NEVER;
  }
  return { question, productId };
});

export default defineCommand({
  name: 'debug',
  usage: 'debug <question> [product-id]',
  summary: 'Debug an AI query: intent, RAG, Cognee, confidence and profile in parallel; the bottleneck and its runbook fix',
  examples: ['/svp debug What blockers does Product X have? 550e8400'],
  args,
  effect: 'read',
  visibility: 'channel',
  async run({ services }, { question, productId }) {
    return debugMessage(await debugQuery(services.svp, question, productId));
  },
});
