/**
 * Socket Mode end to end: with SLACK_APP_TOKEN set the bot opens its connection through
 * apps.connections.open on SLACK_API_URL, acks envelopes over the WebSocket, and replies
 * through response_url, as with HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, BOT_TOKEN, READER, ADMIN, type TestBot } from '../harness/bot-fixture.js';
import { startFakeSlack, type FakeSlack } from '../harness/fake-slack.js';
import { startFakeSocketMode, type FakeSocketMode } from '../harness/fake-socket-mode.js';

const APP_TOKEN = 'xapp-1-A0SVPOPS-1234-socketmodetesttoken';
let slack: FakeSlack;
let socket: FakeSocketMode;
let t: TestBot;

beforeAll(async () => {
  slack = await startFakeSlack({ token: BOT_TOKEN, appToken: APP_TOKEN });
  socket = await startFakeSocketMode(slack);
  t = await startTestBot({ slack, env: { SLACK_APP_TOKEN: APP_TOKEN } });
  await socket.connected();
});

afterAll(async () => {
  await t.stop();
  await socket.close();
  await slack.close();
});

function slashCommand(text: string, userId: string) {
  return {
    token: 'fake-verification-token', team_id: slack.teamId, team_domain: slack.teamDomain, channel_id: 'COPS0001', channel_name: 'ops',
    user_id: userId, user_name: userId.toLowerCase(), command: '/svp', text, api_app_id: slack.appId, is_enterprise_install: 'false',
    response_url: slack.responseUrl({ channel: 'COPS0001', user: userId }), trigger_id: slack.mintTriggerId(userId),
  };
}

describe('Socket Mode', () => {
  it('runs in socket mode and opened its connection with the app-level token', () => {
    expect(t.bot.services.config.mode).toBe('socket');
    expect(t.bot.url).toBeUndefined();
    expect(slack.calls.find((c) => c.method === 'apps.connections.open')).toMatchObject({ ok: true });
  });

  it('acks a slash command over the socket at once and replies through response_url', async () => {
    const payload = slashCommand('health', READER);
    const { ack, ms } = await socket.deliver('slash_commands', payload);
    expect(ack.envelope_id).toBeTruthy();
    expect(ms).toBeLessThan(3000);
    const reply = await slack.waitFor(() => slack.responses.find((r) => r.url === payload.response_url && !r.ack));
    expect((reply.body as { text: string }).text).toBe('SVP healthy: all five checks passed');
  });

  it('asks for confirmation of a destructive step just the same', async () => {
    const before = slack.messages.length;
    await socket.deliver('slash_commands', slashCommand('cognee reset', ADMIN));
    const confirm = await slack.waitFor(() => slack.messages.slice(before).find((m) => m.text.startsWith('cognee reset: waiting for an admin')));
    expect(JSON.stringify(confirm.blocks)).toContain('"style":"danger"');
    expect(t.sim.calls.filter((c) => c.route === '/cognee/reset')).toEqual([]);
  });
});
