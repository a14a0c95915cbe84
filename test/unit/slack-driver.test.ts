/** The driver against a real Bolt app in HTTP mode: payloads Bolt accepts, signatures it checks. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { SlackDriver, signRequest } from '../harness/slack-driver.js';

const TOKEN = 'xoxb-driver-test';
const SECRET = 'driver-test-signing-secret';
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (value: string) => ({ text: plain(value), value });

let fake: FakeSlack;
let app: App;
let driver: SlackDriver;
/** What the app's handlers received, in order. */
let received: any[];

beforeEach(async () => {
  received = [];
  fake = await startFakeSlack({ token: TOKEN });
  app = new App({ token: TOKEN, signingSecret: SECRET, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
  app.command('/svp', async ({ command, ack, respond, client }) => {
    received.push(command);
    if (command.text === 'help') return ack({ text: 'usage: /svp run <name>' });
    await ack();
    if (command.text === 'form') {
      const input = { type: 'input' as const, block_id: 'why', label: plain('Why'), element: { type: 'plain_text_input' as const, action_id: 'why' } };
      const note = { ...input, block_id: 'note', optional: true, element: { ...input.element, action_id: 'note' } };
      await client.views.open({ trigger_id: command.trigger_id, view: { type: 'modal', callback_id: 'run-form', title: plain('Run'), submit: plain('Go'), blocks: [input, note] } });
      return;
    }
    await respond({
      response_type: 'in_channel',
      text: `Run ${command.text}?`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Run *${command.text}*?` } },
        { type: 'actions', block_id: 'steps', elements: [{ type: 'checkboxes', action_id: 'steps', options: [option('build'), option('deploy')], initial_options: [option('build')] }] },
        { type: 'actions', block_id: 'decide', elements: [{ type: 'button', action_id: 'approve', text: plain('Approve'), style: 'primary', value: 'run-1' }] },
      ],
    });
  });
  app.action('steps', async ({ ack, body }) => {
    received.push(body);
    await ack();
  });
  app.action('approve', async ({ ack, body, respond }) => {
    received.push(body);
    await ack();
    await respond({ replace_original: true, text: 'Approved' });
  });
  app.view('run-form', async ({ ack, view }) => {
    received.push(view.state.values);
    await ack();
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: plain(`Hi <@${event.user}>`) }] } });
  });
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  driver = new SlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, fake });
});

afterEach(async () => {
  await app.stop();
  await fake.close();
});

describe('SlackDriver with a Bolt app', () => {
  it('sends a slash command with Slack fields, and interactions on the resulting message', async () => {
    const sent = await driver.command('nightly', { userId: 'UOPER001', channelId: 'COPS0001' });
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    expect(received[0]).toMatchObject({ command: '/svp', text: 'nightly', user_id: 'UOPER001', channel_id: 'COPS0001', response_url: sent.responseUrl, trigger_id: sent.triggerId });
    const message = await fake.waitFor(() => fake.messages.find((m) => m.text === 'Run nightly?'));

    await driver.tickCheckbox(message, 'steps', ['build', 'deploy'], { userId: 'UOPER001' });
    expect(received[1]).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: message.ts, channel_id: 'COPS0001', is_ephemeral: false },
      actions: [{ type: 'checkboxes', action_id: 'steps', block_id: 'steps', selected_options: [option('build'), option('deploy')] }],
    });

    await driver.clickButton(message, 'Approve', { userId: 'UOPER001' });
    expect(received[2]).toMatchObject({
      user: { id: 'UOPER001' },
      message: { ts: message.ts, text: 'Run nightly?' },
      actions: [{ action_id: 'approve', block_id: 'decide', value: 'run-1', style: 'primary', type: 'button' }],
      // The client still shows the ticks made before the click.
      state: { values: { steps: { steps: { type: 'checkboxes', selected_options: [option('build'), option('deploy')] } } } },
    });
    await fake.waitFor(() => message.text === 'Approved');
    // The replacement has no buttons, so a user can no longer click Approve.
    await expect(driver.clickButton(message, 'Approve')).rejects.toThrow(/no button "Approve"/);
  });

  it('shows a non-empty command ack as an ephemeral message', async () => {
    await driver.command('help', { userId: 'UOPER001' });
    expect(fake.ephemerals).toMatchObject([{ user: 'UOPER001', text: 'usage: /svp run <name>' }]);
    expect(fake.responses).toMatchObject([{ ack: true, status: 200 }]);
  });

  it('is refused by Bolt when the signature is forged or stale, and can replay or retry', async () => {
    expect((await driver.command('x', { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await driver.command('x', { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect(received).toEqual([]);
    const first = await driver.command('x');
    const replay = await driver.resend(first);
    expect(replay.status).toBe(200);
    expect(replay.request).toEqual(first.request);
    const retried = await driver.command('x', { retryNum: 1 });
    expect(retried.request.headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(received).toHaveLength(3);
    // Bolt does not dedupe: each delivery is handled (deduping replays is the bot's job).
    await fake.waitFor(() => fake.messages.length === 3);
    const { 'x-slack-signature': signature } = signRequest(SECRET, first.request.rawBody, Number(first.request.headers['x-slack-request-timestamp']));
    expect(first.request.headers['x-slack-signature']).toBe(signature);
  });

  it('submits a modal the app opened, and Slack closes it on an empty ack', async () => {
    await driver.command('form', { userId: 'UOPER001' });
    const modal = await fake.waitFor(() => fake.views.modals.find((v) => v.callback_id === 'run-form'));
    await expect(driver.submitView(modal, {})).rejects.toThrow(/required inputs are empty: why/);
    const submitted = await driver.submitView(modal, { why: { why: 'hotfix' } });
    expect(submitted.status).toBe(200);
    expect(received.at(-1)).toEqual({ why: { why: { type: 'plain_text_input', value: 'hotfix' } }, note: { note: { type: 'plain_text_input', value: null } } });
    expect(modal.closed).toBe(true);
  });

  it('delivers events and answers url verification', async () => {
    const delivered = await driver.event({ type: 'app_home_opened', user: 'UOPER001', channel: 'DOPER001', tab: 'home' });
    expect(delivered.status).toBe(200);
    await fake.waitFor(() => fake.views.home.UOPER001);
    const verified = await driver.urlVerification('challenge-123');
    expect(JSON.parse(verified.body)).toEqual({ challenge: 'challenge-123' });
  });
});

