/**
 * Incident checklist under load: 50 ticks at once on one incident, through the real
 * dispatcher and tick handler, beside a baseline of the same 50 ticks one after another.
 * A tick's latency is from the click until the message update that shows it has gone
 * out (Slack's chat.update simulated at 20 ms). "Lost" counts ticks missing from the
 * incident's event stream. SQLite always; PostgreSQL too when TEST_DATABASE_URL is set.
 *
 *   npx tsx bench/incidents.ts
 */
import { withPostgresSchema } from '../test/harness/postgres.js';
import { createBot, type Bot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import type { MessageRef, Poster, Surface } from '../src/app/command.js';
import type { Message } from '../src/core/message.js';
import { CHECKLIST_ITEMS, streamOf } from '../src/core/incidents/model.js';
import { checklistBlockId } from '../src/views/incident.js';
import { tempDatabase } from '../test/harness/support.js';
import { isMain, percentile, printTable, round, sleep } from './lib.js';

const TICKS = 50;
const SLACK_LATENCY_MS = 20;

/** Stands in for Slack: every post and update takes SLACK_LATENCY_MS; the last update is kept. */
class SlowSlack implements Poster, Surface {
  updates = 0;
  last?: Message;
  private seq = 0;
  async post(_message: Message, opts: { channelId?: string } = {}): Promise<MessageRef> {
    await sleep(SLACK_LATENCY_MS);
    return { channelId: opts.channelId ?? 'CBENCH01', ts: `1700000000.${String(++this.seq).padStart(6, '0')}` };
  }
  async update(_ref: MessageRef, message: Message): Promise<void> {
    await sleep(SLACK_LATENCY_MS);
    this.updates++;
    this.last = message;
  }
  async whisper(): Promise<void> {}
}

const tickedIn = (m: Message | undefined) => (m?.parts ?? []).flatMap((p) => (p.type === 'checklist' ? p.items.filter((i) => i.done) : [])).length;

async function scenario(bot: Bot, slack: SlowSlack, name: string, concurrent: boolean): Promise<Record<string, string | number>> {
  const { incidents, store } = bot.services;
  const declared = await incidents.declare({ severity: 'P1', title: `bench ${name}`, declaredBy: 'UBENCH01', channelId: 'CBENCH01' });
  slack.updates = 0;
  // Every click comes from the message as first posted: nobody's view includes the others' ticks.
  const clicks = Array.from({ length: TICKS }, (_, i) => {
    const item = CHECKLIST_ITEMS[i % CHECKLIST_ITEMS.length]!;
    const step = Number(item.id.slice(1, 2));
    return { item: item.id, blockId: checklistBlockId(declared, step), user: `UBENCH${String(i).padStart(2, '0')}` };
  });
  const tick = async (c: (typeof clicks)[number], i: number) => {
    const started = performance.now();
    await bot.dispatcher.action({
      actionId: 'incident.tick:0',
      click: { value: c.item, selected: [c.item], blockId: c.blockId, message: declared.incident.message },
      actor: { userId: c.user, channelId: 'CBENCH01' },
      surface: slack,
      deliveryKey: `bench:${name}:${i}`,
    });
    return performance.now() - started;
  };
  const started = performance.now();
  const latencies: number[] = [];
  if (concurrent) latencies.push(...(await Promise.all(clicks.map(tick))));
  else for (const [i, c] of clicks.entries()) latencies.push(await tick(c, i));
  const total = performance.now() - started;
  const recorded = (await store.events(streamOf(declared.incident.id), { limit: 10 * TICKS })).filter((e) => e.data.type === 'tick').length;
  return {
    scenario: name,
    store: store.kind,
    ticks: TICKS,
    lost: TICKS - recorded,
    'boxes shown ticked': `${tickedIn(slack.last)}/${CHECKLIST_ITEMS.length}`,
    'chat.update calls': slack.updates,
    'p50 ms': round(percentile(latencies, 50)),
    'p99 ms': round(percentile(latencies, 99)),
    'total ms': round(total),
  };
}

async function runOn(databaseUrl: string): Promise<Record<string, string | number>[]> {
  const bot = await createBot(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }));
  const slack = new SlowSlack();
  bot.bindPoster(slack);
  try {
    return [await scenario(bot, slack, 'baseline: 50 sequential ticks', false), await scenario(bot, slack, '50 concurrent ticks', true)];
  } finally {
    await bot.stop(1000);
  }
}

async function onPostgres(baseUrl: string): Promise<Record<string, string | number>[]> {
  // A schema of its own, so the bench never sees rows of tests or earlier runs.
  return withPostgresSchema('svp_bench', runOn, baseUrl);
}

export async function main(): Promise<void> {
  const rows = await runOn(tempDatabase());
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) rows.push(...(await onPostgres(pgUrl)));
  else console.log('incidents: PostgreSQL skipped (set TEST_DATABASE_URL to include it)');
  printTable(`Incident checklist: ${TICKS} ticks on one incident (chat.update simulated at ${SLACK_LATENCY_MS} ms)`, rows);
  if (rows.some((r) => r.lost !== 0)) {
    console.error('incidents: ticks were lost');
    process.exitCode = 1;
  }
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
