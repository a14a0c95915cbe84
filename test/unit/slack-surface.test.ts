/** Slack writes stay in order through rate limits: a retried write never lands after a later one. */
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackSurface } from '../../src/slack/surface.js';
import { startFakeSlack, type FakeSlack } from '../harness/fake-slack.js';
import { note } from '../../src/core/message.js';

let slack: FakeSlack;
let surface: SlackSurface;

beforeAll(async () => {
  slack = await startFakeSlack({ token: 'xoxb-order-test' });
  const client = new WebClient('xoxb-order-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 3, factor: 2, minTimeout: 50, maxTimeout: 200 } });
  surface = new SlackSurface(client, { channelId: 'CORDER01', userId: 'U1' }, undefined, pino({ level: 'silent' }));
});
afterAll(() => slack.close());

describe('SlackSurface under 429 with Retry-After', () => {
  it('posts to one channel arrive in the order they were made', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await Promise.all([surface.post(note('first', 'channel')), surface.post(note('second', 'channel')), surface.post(note('third', 'channel'))]);
    expect(slack.messages.filter((m) => m.channel === 'CORDER01').map((m) => m.text)).toEqual(['first', 'second', 'third']);
  });

  it('updates of one message land in order, so the newest content wins', async () => {
    const ref = await surface.post(note('v0', 'channel'));
    slack.failNext('chat.update', { status: 429, retryAfter: 1 });
    await Promise.all([surface.update(ref, note('v1', 'channel')), surface.update(ref, note('v2', 'channel'))]);
    const message = slack.findMessage(ref.channelId, ref.ts)!;
    expect(message.text).toBe('v2');
    expect(message.history.map((h) => h.text)).toEqual(['v0', 'v1']);
    const calls = slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.error ?? 'ok');
    expect(calls).toEqual(['ratelimited', 'ok', 'ok']);
  });
});
