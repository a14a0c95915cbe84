/**
 * The first commands end to end: signed slash commands into the real Bolt app over HTTP,
 * against the SVP simulator and the fake Slack Web API.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, BOT_TOKEN, SIGNING_SECRET, READER, type TestBot } from '../harness/bot-fixture.js';
import type { FakeResponse } from '../harness/fake-slack.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t.stop();
});
beforeEach(() => t.sim.reset());

type Reply = { text: string; blocks: Array<Record<string, any>>; response_type?: string };

/** The reply the bot posted through the command's response_url. */
async function replyTo(responseUrl: string): Promise<Reply> {
  const posted = await t.slack.waitFor(() => t.slack.responses.find((r: FakeResponse) => r.url === responseUrl && !r.ack));
  expect(posted.status).toBe(200);
  return posted.body as Reply;
}

const blockText = (reply: Reply) => JSON.stringify(reply.blocks);

async function run(text: string, user = READER): Promise<{ reply: Reply; ackMs: number }> {
  const sent = await t.driver.command(text, { userId: user });
  expect(sent.status).toBe(200);
  return { reply: await replyTo(sent.responseUrl), ackMs: sent.ms };
}

describe('/svp health', () => {
  it('posts the five probes in the channel with status, latency and a verdict', async () => {
    const { reply } = await run('health');
    expect(reply.response_type).toBe('in_channel');
    expect(reply.blocks[0]).toMatchObject({ type: 'header', text: { text: 'SVP health: All five checks passed' } });
    for (const probe of ['AI service', 'Database', 'Cognee', 'Frontend', 'AI query']) expect(blockText(reply)).toContain(`*${probe}*`);
    expect(blockText(reply)).toMatch(/\d+ ms/);
    expect(reply.text).toBe('SVP healthy: all five checks passed');
    expect(reply.blocks.at(-1)).toMatchObject({ type: 'context' });
  });

  it('names a failing database: endpoint, status and reason', async () => {
    t.sim.setFault('/api/health/db', { kind: 'unavailable' });
    const { reply } = await run('health');
    expect(reply.blocks[0]!.text.text).toBe('SVP health: Degraded');
    expect(blockText(reply)).toMatch(/:red_circle: \*Database\* — `GET \/api\/health\/db` answered 503 Service Unavailable/);
    expect(reply.text).toContain('Database fail');
    expect(blockText(reply)).toContain('Declare incident');
  });

  it('bounds a hanging Cognee by SVP_TIMEOUT_MS and says it timed out', async () => {
    t.sim.setFault('/cognee/health', { kind: 'hang' });
    const started = Date.now();
    const { reply } = await run('health');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(blockText(reply)).toContain('`GET /cognee/health` timed out after 1000 ms');
  });

  it('says the body was not JSON when SVP answers malformed JSON', async () => {
    t.sim.setFault('/health', { kind: 'malformed' });
    const { reply } = await run('health');
    expect(reply.blocks[0]!.text.text).toBe('SVP health: Down');
    expect(blockText(reply)).toContain('`GET /health` answered 200 with a body that is not JSON');
  });

  it('keeps acknowledging within Slack\'s limit while every probe hangs', async () => {
    t.sim.setFault('*', { kind: 'hang' });
    const sent = await t.driver.command('health', { userId: READER });
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    const reply = await replyTo(sent.responseUrl);
    expect(reply.blocks[0]!.text.text).toBe('SVP health: Down');
  });
});

describe('connection refused', () => {
  let refused: TestBot;
  beforeAll(async () => {
    // A port that was free a moment ago and has nobody listening now.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    refused = await startTestBot({ env: { SVP_API_URL: `http://127.0.0.1:${port}`, SVP_FRONTEND_URL: `http://127.0.0.1:${port}/frontend` } });
  });
  afterAll(() => refused.stop());

  it('reports every probe as refused, by name', async () => {
    const sent = await refused.driver.command('health', { userId: READER });
    const posted = await refused.slack.waitFor(() => refused.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
    const text = JSON.stringify((posted.body as Reply).blocks);
    expect(text).toContain('`GET /health` refused the connection');
    expect(text).toContain('`POST /ai/query` refused the connection');
  });
});

describe('/svp metrics', () => {
  it('marks each key metric against its baseline', async () => {
    t.sim.preset('degraded');
    const { reply } = await run('metrics');
    expect(blockText(reply)).toContain(':red_circle: *Error rate* — 7% · baseline < 1% · breach');
    expect(blockText(reply)).toContain('*Response time (p95)* — 900 ms · baseline < 500 ms · warn');
    expect(reply.text).toContain('Error rate breach');
  });

  it('reports a gauge SVP does not give as unknown, not healthy', async () => {
    // The exporter writes NaN for a gauge it cannot read: there is no value.
    t.sim.state.metrics.cpu_usage_percent = Number.NaN;
    const { reply } = await run('metrics');
    expect(blockText(reply)).toContain(':white_circle: *CPU usage* — not reported · baseline < 70% · unknown');
    expect(reply.blocks[0]!.text.text).toBe('Key metrics: some not reported');
  });

  it('names the failing metrics endpoint, its status and reason', async () => {
    t.sim.setFault('/metrics', { kind: 'error', status: 500, body: '{"detail":"metrics exporter crashed"}' });
    const failed = await run('metrics');
    expect(blockText(failed.reply)).toContain('`GET /metrics` answered 500 Internal Server Error: metrics exporter crashed');
  });

  it('answers a failing AI query with the endpoint and the reason', async () => {
    t.sim.setFault('/ai/query', { kind: 'malformed' });
    const { reply } = await run('ask is Product X blocked?');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('`POST /ai/query` answered 200 with a body that is not JSON');
  });
});

describe('/svp ask and /svp version', () => {
  it('answers with confidence and sources', async () => {
    const { reply } = await run('ask What blockers does Product X have?');
    expect(blockText(reply)).toContain('*Q:* What blockers does Product X have?');
    expect(blockText(reply)).toMatch(/\*Confidence\*\\n0\.\d\d/);
    expect(blockText(reply)).toContain('Product X');
  });

  it('asks for a question when there is none', async () => {
    const { reply } = await run('ask');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('Usage: `/svp ask <question>` — expected a question after `ask`.');
  });

  it('shows the deployed version', async () => {
    const { reply } = await run('version');
    expect(blockText(reply)).toContain('`v1.4.2`');
  });
});

describe('bad input and bad requests', () => {
  it('answers an unknown subcommand with help', async () => {
    const { reply } = await run('frobnicate now');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain("I don't know `frobnicate`");
    expect(blockText(reply)).toContain('/svp health');
  });

  it('answers kilobytes of garbage politely and stays healthy', async () => {
    const garbage = Array.from({ length: 6000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('') + ' <!channel> ```';
    const { reply } = await run(garbage);
    expect(reply.text.length).toBeLessThan(3001);
    expect(reply.text).not.toContain('<!channel>');
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('rejects a bad signature with 401 and does nothing', async () => {
    const before = t.sim.calls.length;
    const sent = await t.driver.command('health', { signature: 'v0=' + '0'.repeat(64) });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.sim.calls.length).toBe(before);
    expect(t.slack.responses.filter((r) => r.url === sent.responseUrl)).toEqual([]);
  });

  it('rejects a request signed more than 5 minutes ago with 401', async () => {
    const before = t.sim.calls.length;
    const sent = await t.driver.command('health', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.sim.calls.length).toBe(before);
  });

  it('runs a delivery once even when Slack retries it', async () => {
    const first = await t.driver.command('health', { userId: READER });
    await replyTo(first.responseUrl);
    const probesBefore = t.sim.calls.filter((c) => c.route === '/health').length;
    const retry = await t.driver.resend(first);
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.sim.calls.filter((c) => c.route === '/health').length).toBe(probesBefore);
    expect(t.slack.responses.filter((r) => r.url === first.responseUrl && !r.ack)).toHaveLength(1);
  });

  it('sent only valid Block Kit, and never a secret in a message or a log line', () => {
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
    const everything = JSON.stringify(t.slack.responses) + JSON.stringify(t.slack.messages) + t.logs.lines.join('\n');
    expect(everything).not.toContain(BOT_TOKEN);
    expect(everything).not.toContain(SIGNING_SECRET);
  });
});

describe('the bot\'s own endpoints', () => {
  it('serves /healthz as JSON and /metrics as Prometheus text with command and SVP call counters', async () => {
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'ok', mode: 'http' });
    const metrics = await (await fetch(`${t.bot.url}/metrics`)).text();
    expect(metrics).toMatch(/svp_ops_commands_total\{command="health",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/svp_ops_svp_calls_total\{endpoint="dbHealth",outcome="http"\} \d+/);
    expect(metrics).toContain('svp_ops_svp_call_duration_seconds_bucket');
    // Every delivery so far was answered well inside Slack's 3 s.
    const acked = Number(/^svp_ops_slack_ack_seconds_count (\d+)/m.exec(metrics)?.[1]);
    expect(acked).toBeGreaterThan(0);
    expect(metrics).toMatch(new RegExp(`^svp_ops_slack_ack_seconds_bucket\\{le="3"\\} ${acked}$`, 'm'));
  });

  it('keeps idle connections open longer than a load balancer does (60 s), so it never closes one under a request', async () => {
    const res = await t.driver.command('version', { userId: READER });
    expect(res.status).toBe(200);
    expect(res.headers['keep-alive']).toBe('timeout=65');
  });
});
