/**
 * The bot as a real process (`node --import tsx src/main.ts`, HTTP mode) killed with -9
 * in the middle of a confirmed reset and of a followed ingestion, stopped with SIGTERM
 * while a command is in flight, and started with a bad environment. After each restart on
 * the same database: nothing lost, nothing run twice, judged by what reached the SVP
 * simulator and what the fake Slack shows. (Runbook runs and incident ticks: process-state.test.ts.)
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN2, BOT_TOKEN, OPERATOR, READER, SIGNING_SECRET } from '../harness/bot-fixture.js';
import { BotRig, spawnBot, type RigOptions } from '../harness/bot-process.js';
import type { Block } from '../harness/fake-slack.js';
import { eventually, visibleText } from '../harness/support.js';

const RESET = '/cognee/reset';
const INGEST = '/cognee/ingest/products';
const JOB_STATUS = '/cognee/ingest/status/:jobId';

const rigs: BotRig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function started(opts: RigOptions = {}): Promise<BotRig> {
  const r = await BotRig.create(opts);
  rigs.push(r);
  await r.start();
  return r;
}

const callsTo = (r: BotRig, route: string) => r.sim.calls.filter((c) => c.route === route).length;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the bot stops answering /healthz with 200 (stopping, or its port closed). */
async function stopsBeingReady(r: BotRig): Promise<void> {
  await eventually(async () => !(await fetch(`${r.url}/healthz`).then((res) => res.ok, () => false)), 'the bot still reports ready 3 s after SIGTERM');
}

/** Does `act` and returns the next reply only `userId` sees. */
async function replyFor(r: BotRig, userId: string, act: () => Promise<unknown>): Promise<string> {
  const before = r.slack.ephemerals.length;
  await act();
  return visibleText(await r.slack.waitFor(() => r.slack.ephemerals.slice(before).find((e) => e.user === userId)));
}

describe('kill -9 during a confirmed destructive step', () => {
  it('after the restart, confirming again is refused as already confirmed; the reset reached SVP once', async () => {
    const r = await started();
    r.sim.setFault(RESET, { kind: 'slow', ms: 1500 });
    await r.driver.command('cognee reset', { userId: ADMIN });
    const message = await r.slack.waitFor(() => r.slack.messages.find((m) => m.text.startsWith('cognee reset: waiting')));
    // What another admin's Slack still shows if it missed the update: the danger button.
    const staleView = { channel: message.channel, blocks: structuredClone(message.blocks) };

    const click = await r.driver.clickButton(message, 'confirm:0', { userId: ADMIN });
    expect(click.status).toBe(200);
    await r.slack.waitFor(() => callsTo(r, RESET) === 1);
    expect(await r.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(message.text).toBe('cognee reset: running');

    await r.start();
    const answer = await replyFor(r, ADMIN2, () => r.driver.clickButton(staleView, 'confirm:0', { userId: ADMIN2 }));
    expect(answer).toContain(`Nothing done: this step was already confirmed by <@${ADMIN}>.`);
    // Slack redelivering the original click to the new process changes nothing either. It gets
    // no reply, so wait a moment: a second reset would reach the simulator within it.
    expect((await r.driver.resend(click)).status).toBe(200);
    await pause(500);
    expect(callsTo(r, RESET)).toBe(1);
    expect(await replyFor(r, OPERATOR, () => r.driver.command('audit 10', { userId: OPERATOR }))).toMatch(/<@UADMIN02>.*confirm cognee reset.*refused.*already confirmed/);
  });
});

describe('kill -9 during a followed ingestion', () => {
  it('the new process resumes following and updates the one job message to completed', { timeout: 30_000 }, async () => {
    // One status poll finishes the job; the first sweep runs 5 s after start, after the kill.
    const r = await started({ sim: { jobPollsToFinish: 1 } });
    // The reply comes once the job and its message are recorded: from then on it is followed.
    const reply = await replyFor(r, OPERATOR, () => r.driver.command('cognee ingest products Q1 2025 Week 1', { userId: OPERATOR }));
    expect(reply).toMatch(/Started ingestion job `\w+` \(products\)/);
    const jobMessages = () => r.slack.messages.filter((m) => m.text.startsWith('Cognee ingestion'));
    const message = jobMessages()[0]!;
    await r.kill();
    expect(message.text).toMatch(/: running$/);

    await r.start();
    // The first update after the restart fails, as a crash between showing and recording
    // would: the poll after it shows the job again rather than leaving the message behind.
    r.slack.failNext('chat.update', { status: 200, error: 'internal_error' });
    await r.slack.waitFor(() => /: completed$/.test(message.text), 15_000);
    expect(r.slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.ok)).toEqual([false, true]);
    expect(callsTo(r, JOB_STATUS)).toBe(2);
    expect(callsTo(r, INGEST)).toBe(1);
    expect(jobMessages()).toHaveLength(1);
    expect(r.slack.allPostedBlocksValid()).toEqual([]);
  });
});

describe('SIGTERM with a command in flight', () => {
  it('takes no new work, still delivers the reply in flight, and exits 0 within seconds', async () => {
    const r = await started();
    r.sim.setFault('/api/health/db', { kind: 'slow', ms: 1500 });
    const inFlight = await r.driver.command('health', { userId: READER });
    expect(inFlight.status).toBe(200);
    await r.slack.waitFor(() => callsTo(r, '/api/health/db') === 1);

    const signalled = Date.now();
    r.bot!.proc.kill('SIGTERM');
    await stopsBeingReady(r);
    // Refused at the door, or (on a connection already open) acknowledged with "restarting" only.
    const late = await r.driver.command('health', { userId: READER }).then((res) => res, (err: Error) => err);
    const refused = late instanceof Error || late.status !== 200 || late.body.includes('restarting');
    expect(refused, `a command after SIGTERM got ${late instanceof Error ? late.message : `${late.status} ${late.body}`}`).toBe(true);

    const reply = await r.slack.waitFor(() => r.slack.responses.find((x) => x.url === inFlight.responseUrl && !x.ack), 5000);
    expect(reply.at).toBeGreaterThan(signalled);
    expect(visibleText(reply.body as { text: string; blocks: Block[] })).toContain('SVP health: All five checks passed');
    expect(await r.bot!.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5000);
    // The late command probed nothing.
    expect(callsTo(r, '/health')).toBe(1);
  });
});

describe('SIGTERM with a request half-sent on a kept-alive connection', () => {
  it('answers it with Connection: close and still exits within seconds', async () => {
    const r = await started();
    const { rawBody, headers } = (await r.driver.command('version', { userId: READER })).request;
    const socket = connect(Number(new URL(r.url).port), '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    const ended = once(socket, 'close');
    const head = Object.entries({ ...headers, host: '127.0.0.1', 'content-length': String(Buffer.byteLength(rawBody)) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`POST /slack/events HTTP/1.1\r\n${head}\r\n${rawBody.slice(0, 10)}`);
    await pause(200); // the bot has the request's headers: the connection is busy, not idle

    const signalled = Date.now();
    r.bot!.proc.kill('SIGTERM');
    await stopsBeingReady(r);
    socket.write(rawBody.slice(10));
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/^connection: close\r$/im);
    expect(answer).toContain('restarting');
    expect(await r.bot!.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5000);
  });
});

describe('a bad environment value', () => {
  it('stops start-up with exit code 2 and one line naming the variable, nothing secret', async () => {
    const bot = spawnBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SVP_TIMEOUT_MS: 'abc' });
    expect(await bot.exited).toEqual({ code: 2, signal: null });
    const lines = bot.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^svp-ops: bad configuration: SVP_TIMEOUT_MS: expected milliseconds/);
    expect(bot.output()).not.toContain(BOT_TOKEN);
    expect(bot.output()).not.toContain(SIGNING_SECRET);
  });

  it('names a bad secret without showing its value', async () => {
    const bot = spawnBot({ SLACK_BOT_TOKEN: 'not-a-bot-token-s3cr3t', SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(await bot.exited).toEqual({ code: 2, signal: null });
    expect(bot.stderr()).toMatch(/^svp-ops: bad configuration: SLACK_BOT_TOKEN: expected a token starting with xoxb-\n$/);
    expect(bot.output()).not.toContain('s3cr3t');
  });
});
