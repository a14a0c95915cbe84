import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { auditMessage } from '../src/views/ops.js';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 100;
const EXPECTED = `expected a count from 1 to ${MAX_COUNT}`;

export default defineCommand({
  name: 'audit',
  usage: 'audit [count]',
  summary: 'Recent mutating and destructive attempts: who, what, where, allowed or refused, result',
  examples: ['/svp audit', '/svp audit 50'],
  args: z
    .string()
    .transform((s) => s.trim() || String(DEFAULT_COUNT))
    .pipe(z.string().regex(/^\d{1,3}$/, EXPECTED).transform(Number))
    .pipe(z.number().min(1, EXPECTED).max(MAX_COUNT, EXPECTED)),
  effect: 'read',
  permission: 'operator',
  async run({ services }, count) {
    return auditMessage(await services.audit.recent(count), count);
  },
});
