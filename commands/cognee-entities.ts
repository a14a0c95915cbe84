import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { entitiesMessage } from '../src/views/ops.js';

const DEFAULT_LIMIT = 10;
const TYPE = /^[A-Za-z][A-Za-z_-]{0,39}$/;

/** `[type] [limit]`: a type is a word, a limit a number from 1 to 100; either may be left out. */
const args = z.string().transform((raw, ctx) => {
  const ws = raw.trim().split(/\s+/).filter(Boolean);
  const type = ws[0] !== undefined && !/^\d+$/.test(ws[0]) ? ws.shift() : undefined;
  const limit = ws.length ? Number(ws.shift()) : DEFAULT_LIMIT;
  const problem = ws.length
    ? 'expected at most an entity type and a limit'
    : type !== undefined && !TYPE.test(type)
      ? 'expected an entity type such as Product'
      : !Number.isInteger(limit) || limit < 1 || limit > 100
        ? 'expected a limit from 1 to 100'
        : undefined;
  if (problem) {
    ctx.addIssue(problem);
    return z.NEVER;
  }
  return { type, limit };
});

export default defineCommand({
  name: 'cognee entities',
  usage: 'cognee entities [type] [limit]',
  summary: 'List knowledge-graph entities, e.g. the ingested products (GET or POST /cognee/entities)',
  examples: ['/svp cognee entities Product 10'],
  args,
  effect: 'read',
  visibility: 'channel',
  async run({ services }, { type, limit }) {
    // No filter at all: the plain GET; a type or a limit: the runbook's POST with a body.
    const endpoint = type === undefined && limit === DEFAULT_LIMIT ? 'entitiesAll' : 'entities';
    const { data, latencyMs } = await services.svp.call(endpoint, { body: { ...(type ? { entity_type: type } : {}), limit } });
    return entitiesMessage(data, { type, limit }, { endpoint, latencyMs, target: services.svp.target });
  },
});
