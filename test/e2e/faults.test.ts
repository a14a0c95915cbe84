/**
 * Faults on both sides: SVP failing in every way, a circuit breaker per area, Slack
 * rate-limiting and failing, expired response_urls. Every command still answers clearly.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, BOT_TOKEN, READER, type TestBot } from '../harness/bot-fixture.js';
import { startFakeSlack } from '../harness/fake-slack.js';

type Reply = { text: string; blocks: Array<Record<string, any>>; response_type?: string };

async function replyTo(t: TestBot, responseUrl: string): Promise<Reply> {
  const posted = await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === responseUrl && !r.ack), 8000);
  return posted.body as Reply;
}

async function run(t: TestBot, text: string): Promise<Reply> {
  const sent = await t.driver.command(text, { userId: READER });
  expect(sent.status).toBe(200);
  return replyTo(t, sent.responseUrl);
}

describe('SVP faults, each with a clear answer', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(() => t.stop());
  beforeEach(() => t.sim.reset());

  it.each([
    [{ kind: 'error', status: 500 } as const, '`GET /version` answered 500 Internal Server Error'],
    [{ kind: 'unavailable' } as const, '`GET /version` answered 503 Service Unavailable'],
    [{ kind: 'malformed' } as const, '`GET /version` answered 200 with a body that is not JSON'],
    [{ kind: 'huge', bytes: 10_000_000 } as const, '`GET /version` answered with a body over 1 MB'],
    [{ kind: 'reset' } as const, '`GET /version` closed the connection without an answer'],
    [{ kind: 'hang' } as const, '`GET /version` timed out after 1000 ms'],
  ])('%o → "%s"', async (fault, expected) => {
    t.sim.setFault('/version', fault);
    const started = Date.now();
    const reply = await run(t, 'version');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reply.text).toContain(expected);
    expect(reply.text).toMatch(/\(ref [0-9a-f]{8}\)$/);
  });

  it('shows the runbook\'s RAG fallback when Cognee is down', async () => {
    t.sim.state.cognee.ready = false;
    const reply = await run(t, 'ask What blockers does Product X have?');
    expect(JSON.stringify(reply.blocks)).toContain('this answer comes from RAG alone');
  });
});

describe('circuit breaker per SVP area', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ breaker: { threshold: 2, halfOpenMs: 60_000 } });
  });
  afterAll(() => t.stop());

  it('stops paying the timeout of a dead Cognee after repeated failures, and leaves other areas alone', async () => {
    t.sim.setFault('/cognee/health', { kind: 'hang' });
    for (let i = 0; i < 2; i++) expect(JSON.stringify((await run(t, 'health')).blocks)).toContain('`GET /cognee/health` timed out');
    const started = Date.now();
    const reply = await run(t, 'health');
    expect(Date.now() - started).toBeLessThan(900);
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('`GET /cognee/health` skipped: the cognee area of SVP failed 2 times in a row');
    expect(text).toMatch(/:large_green_circle: \*AI service\* — healthy/);
  });
});

describe('Slack faults', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(() => t.stop());
  beforeEach(() => t.sim.reset());

  it('falls back to chat.postMessage when the response_url has expired, through a 429 with Retry-After', async () => {
    // Slow the check down so the response_url can expire before the bot answers.
    t.sim.setFault('/health', { kind: 'slow', ms: 300 });
    t.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const sent = await t.driver.command('health', { userId: READER });
    t.slack.expireResponseUrl(sent.responseUrl);
    const posted = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('SVP healthy')), 10_000);
    expect(posted.channel).toBe('COPS0001');
    const calls = t.slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(calls.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
  });

  it('sends an ephemeral reply by chat.postEphemeral when the response_url is gone', async () => {
    t.sim.setFault('/version', { kind: 'hang' });
    const sent = await t.driver.command('version', { userId: READER });
    t.slack.expireResponseUrl(sent.responseUrl);
    const ephemeral = await t.slack.waitFor(() => t.slack.ephemerals.find((e) => e.user === READER && e.text.includes('`GET /version` timed out')));
    expect(ephemeral.channel).toBe('COPS0001');
  });

  it('keeps the process healthy when Slack answers 5xx', async () => {
    t.sim.setFault('/health', { kind: 'slow', ms: 300 });
    t.slack.failNext('chat.postMessage', { status: 503 }, 10);
    const sent = await t.driver.command('health', { userId: READER });
    t.slack.expireResponseUrl(sent.responseUrl);
    await t.slack.waitFor(() => t.logs.lines.some((l) => l.includes('could not deliver a reply')), 8000);
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(t.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.error === 'internal_error').length).toBe(4);
  });
});

describe('an expired trigger_id', () => {
  let t: TestBot;
  beforeAll(async () => {
    // Every trigger_id expires at once, as when the bot is slower than Slack's 3 s.
    const slack = await startFakeSlack({ token: BOT_TOKEN, triggerTtlMs: 0 });
    t = await startTestBot({ slack });
  });
  afterAll(async () => {
    await t.stop();
    await t.slack.close();
  });

  it('still gets the user an answer: the form could not open, here is the command instead', async () => {
    const sent = await t.driver.command('incident declare', { userId: READER });
    expect(sent.status).toBe(200);
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
    expect((reply.body as Reply).text).toContain('Could not open the form; use `/svp incident declare <P0-P3> <title>` instead.');
    expect(t.slack.calls.find((c) => c.method === 'views.open')?.error).toBe('expired_trigger_id');
  });
});
