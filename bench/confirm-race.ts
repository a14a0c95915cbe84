/**
 * Confirmation race on PostgreSQL: 20 admins click one Cognee-reset confirmation at the
 * same moment, through two bot instances sharing one database. Exactly one click may
 * win; the table shows the claim latency (p50/p99) and, in the same run, the ack latency
 * of a mutating command (with its dedupe write) against a read command.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/confirm-race.ts
 */
import { withPostgresSchema } from '../test/harness/postgres.js';
import { startTestBot, type TestBot } from '../test/harness/bot-fixture.js';
import { isMain, percentile, printTable, round, runConcurrent } from './lib.js';

const CLICKS = 20;
const ACKS = 30;
const ADMINS = Array.from({ length: CLICKS }, (_, i) => `UBENCH${String(i).padStart(2, '0')}`);

interface ClaimTiming {
  ms: number;
  won: boolean;
}

/** Times every confirmations.claim of a bot: how long the store took to decide, and who won. */
function timeClaims(t: TestBot, into: ClaimTiming[]): void {
  const confirmations = t.bot.services.confirmations;
  const claim = confirmations.claim.bind(confirmations);
  confirmations.claim = async (...args) => {
    const started = performance.now();
    try {
      const won = await claim(...args);
      into.push({ ms: performance.now() - started, won: true });
      return won;
    } catch (err) {
      into.push({ ms: performance.now() - started, won: false });
      throw err;
    }
  };
}

async function ackLatencies(t: TestBot, text: string): Promise<number[]> {
  // Spread over the admins so the per-person rate limit never answers instead.
  const results = await runConcurrent(ACKS, 5, (i) => t.driver.command(text, { userId: ADMINS[i % ADMINS.length] }));
  return results.map((r) => r.ms);
}

async function race(databaseUrl: string): Promise<void> {
  const env = { SVP_ADMINS: ADMINS.join(','), LOG_LEVEL: 'warn' };
  const a = await startTestBot({ databaseUrl, env });
  const b = await startTestBot({ databaseUrl, env, sim: a.sim, slack: a.slack });
  try {
    const claims: ClaimTiming[] = [];
    timeClaims(a, claims);
    timeClaims(b, claims);
    await a.driver.command('cognee reset', { userId: ADMINS[0] });
    const message = await a.slack.waitFor(() => a.slack.messages.find((m) => m.text.startsWith('cognee reset: waiting')));
    await Promise.all(ADMINS.map((userId, i) => (i % 2 ? b : a).driver.clickButton(message, 'confirm:0', { userId })));
    await a.slack.waitFor(() => claims.length === CLICKS && message.text === 'cognee reset: done', 10_000);
    const resets = a.sim.calls.filter((c) => c.route === '/cognee/reset').length;

    const read = await ackLatencies(a, 'health');
    const mutating = await ackLatencies(a, 'cognee warm-up');
    const ms = claims.map((c) => c.ms);
    printTable('Confirmation race: 20 concurrent clicks over two instances on PostgreSQL', [
      { measure: 'winners', value: claims.filter((c) => c.won).length, expected: 1 },
      { measure: 'POST /cognee/reset calls', value: resets, expected: 1 },
      { measure: 'claim p50 (ms)', value: round(percentile(ms, 50)), expected: '' },
      { measure: 'claim p99 (ms)', value: round(percentile(ms, 99)), expected: '' },
      { measure: 'ack p50, read `health` (ms)', value: round(percentile(read, 50)), expected: '' },
      { measure: 'ack p99, read `health` (ms)', value: round(percentile(read, 99)), expected: '' },
      { measure: 'ack p50, mutating `cognee warm-up` (ms)', value: round(percentile(mutating, 50)), expected: '' },
      { measure: 'ack p99, mutating `cognee warm-up` (ms)', value: round(percentile(mutating, 99)), expected: '' },
      { measure: 'ack p50 ratio mutating / read', value: round(percentile(mutating, 50) / percentile(read, 50), 2), expected: '≤ 1.5' },
    ]);
    if (claims.filter((c) => c.won).length !== 1 || resets !== 1) throw new Error('exactly-once violated: see the table');
  } finally {
    await b.stopBot();
    await a.stop();
  }
}

export async function main(): Promise<void> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    console.log('confirm-race: skipped (set TEST_DATABASE_URL to a PostgreSQL database to run it)');
    return;
  }
  // A schema of its own, so the bench never sees rows of tests or earlier runs.
  await withPostgresSchema('svp_bench', race, baseUrl);
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
