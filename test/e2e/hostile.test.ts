/**
 * Hostile deliveries over real HTTP: random signed payloads, forged and replayed
 * signatures, and a full run searched for secrets afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, ADMIN, BOT_TOKEN, SIGNING_SECRET, READER, type TestBot } from '../harness/bot-fixture.js';
import { signRequest } from '../harness/slack-driver.js';
import { runConcurrent } from '../../bench/lib.js';

const GROQ_KEY = 'gsk_fuzzsecret0123456789abcdef';
const DB_PASSWORD = 'pg-secret-pw-771';
const pgUrl = process.env.TEST_DATABASE_URL;

let t: TestBot;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // With PostgreSQL, the connection string carries a password (trust auth ignores it).
  const databaseUrl = pgUrl ? pgUrl.replace('postgres://postgres@', `postgres://postgres:${DB_PASSWORD}@`) : undefined;
  t = await startTestBot({ env: { GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: 'http://127.0.0.1:9' }, databaseUrl });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await t.stop();
});

const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
  t.driver.post(body, { 'content-type': contentType, ...signRequest(SIGNING_SECRET, body) });

describe('random payloads, correctly signed', () => {
  it('never get a 5xx and never take the process down', { timeout: 120_000 }, async () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const payload = fc.oneof(
      fc.record({ type: fc.constantFrom('block_actions', 'view_submission', 'shortcut', 'message_action', 'nonsense'), user: fc.oneof(json, fc.record({ id: fc.string() })), actions: fc.oneof(json, fc.array(fc.record({ action_id: fc.string(), value: fc.string(), type: fc.constantFrom('button', 'checkboxes', 'x') }))) }),
      json,
    );
    const forms = fc.oneof(
      payload.map((p) => `payload=${encodeURIComponent(JSON.stringify(p))}`),
      fc.dictionary(fc.constantFrom('command', 'text', 'user_id', 'channel_id', 'trigger_id', 'response_url', 'ssl_check'), fc.string({ maxLength: 200 })).map((d) => new URLSearchParams(d).toString()),
      fc.string({ maxLength: 500 }),
    );
    // Bodies that parse to no object at all: Bolt alone leaves these hanging.
    const nonObjects = fc.constantFrom('payload=null', 'payload=1', 'payload=%22x%22', 'payload=%5B%5D', 'payload=', 'payload=%7B');
    const events = fc.jsonValue({ maxDepth: 3 }).map((event) => JSON.stringify({ type: 'event_callback', event, team_id: 'T1' }));
    // Sent 25 at a time: a delivery no listener handles waits a second for its 404.
    const cases = [...fc.sample(forms, 600).map((body) => [body, 'application/x-www-form-urlencoded'] as const), ...fc.sample(events, 150).map((body) => [body, 'application/json'] as const), ...fc.sample(nonObjects, 20).map((body) => [body, 'application/x-www-form-urlencoded'] as const), ['null', 'application/json'] as const];
    const statuses = await runConcurrent(cases.length, 25, async (i) => (await post(cases[i]![0], cases[i]![1])).status);
    const serverErrors = cases.filter((_, i) => statuses[i]! >= 500).map(([body]) => body.slice(0, 200));
    expect(serverErrors).toEqual([]);
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});

describe('forged and replayed requests', () => {
  it('rejects a forged button click with 401 and runs nothing', async () => {
    const reset = await t.driver.command('health', { userId: READER, signature: 'v0=deadbeef' });
    expect(reset.status).toBe(401);
  });

  it('rejects a valid request replayed after 5 minutes', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const res = await t.driver.command('version', { userId: ADMIN, timestamp: old });
    expect(res.status).toBe(401);
  });

  it('rejects an unsigned request', async () => {
    const res = await t.driver.post('command=%2Fsvp&text=health', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(401);
  });
});

describe('secrets', () => {
  it('never appear in any message or log line of a full run', async () => {
    t.sim.setFault('/cognee/health', { kind: 'error', status: 500, body: `{"detail":"leaked ${BOT_TOKEN}"}` });
    for (const text of ['health', 'metrics', 'ask what is Product X?', 'version', 'frobnicate', `ask ${GROQ_KEY}`, 'help']) {
      const sent = await t.driver.command(text, { userId: ADMIN });
      await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
    }
    t.sim.reset();
    const everything = [JSON.stringify(t.slack.responses), JSON.stringify(t.slack.messages), JSON.stringify(t.slack.ephemerals), t.logs.lines.join('\n')].join('\n');
    // The SVP body quoted the bot token: it must be blanked wherever it went.
    expect(everything).toContain('[redacted]');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, GROQ_KEY, DB_PASSWORD]) expect(everything).not.toContain(secret);
  });
});
