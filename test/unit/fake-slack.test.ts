import { createHmac } from 'node:crypto';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { signRequest } from '../harness/slack-driver.js';

const TOKEN = 'xoxb-test-token-1';
const CHANNEL = 'COPS0001';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

let fake: FakeSlack;
let slack: WebClient;

/** WebClient logs Slack's `[ERROR]` response messages; the tests assert on them instead. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** A client as the bot builds it, pointed at the fake; no retries unless a test asks. `null` = no token. */
function client(token: string | null = TOKEN, extra: ConstructorParameters<typeof WebClient>[1] = {}) {
  return new WebClient(token ?? undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet, ...extra });
}

async function postToResponseUrl(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

beforeEach(async () => {
  fake = await startFakeSlack({ token: TOKEN, botUserId: 'UBOT0001' });
  slack = client();
});
afterEach(() => fake.close());

describe('fake Slack Web API', () => {
  it('posts and updates messages with Slack-shaped responses', async () => {
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'Run 1', blocks: [section('*Run 1*')] });
    expect(posted).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'Run 1', user: 'UBOT0001', ts: posted.ts } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const [message] = fake.messages;
    // Slack gives every block a block_id.
    expect(message?.blocks[0]?.block_id).toEqual(expect.any(String));

    const updated = await slack.chat.update({ channel: CHANNEL, ts: posted.ts as string, text: 'Run 1 done' });
    expect(updated).toMatchObject({ ok: true, channel: CHANNEL, ts: posted.ts, text: 'Run 1 done' });
    expect(message).toMatchObject({ text: 'Run 1 done', edited: true, history: [{ text: 'Run 1' }] });
    expect(message?.blocks[0]?.text.text).toBe('*Run 1*'); // omitted blocks are kept

    const second = await slack.chat.postMessage({ channel: CHANNEL, text: 'Run 2', thread_ts: posted.ts });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));
    expect(fake.messages[1]).toMatchObject({ thread_ts: posted.ts });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(fake.calls[0]?.args).toMatchObject({ channel: CHANNEL, blocks: [section('*Run 1*')] });
  });

  it('answers errors exactly as Slack does', async () => {
    await expect(client('xoxb-wrong').auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
    await expect(client(null).auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    await expect(slack.chat.postMessage({ channel: CHANNEL } as never)).rejects.toMatchObject({ data: { error: 'no_text' } });
    await expect(slack.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await slack.chat.postMessage({ channel: CHANNEL, text: 'hello' });
    await expect(slack.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(slack.chat.postMessage({ channel: CHANNEL, text: 'x'.repeat(40_001) })).rejects.toMatchObject({ data: { error: 'msg_too_long' } });
    // A DM by user id lands in the D… channel; updating needs that id, not the user id.
    const dm = await slack.chat.postMessage({ channel: 'UOPER001', text: 'psst' });
    expect(dm.channel).toBe('DOPER001');
    await expect(slack.chat.update({ channel: 'UOPER001', ts: dm.ts as string, text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client().apiCall('chat.nonsense')).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 404 });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'chat.nonsense', ok: false, error: 'unknown_method' });
  });

  it('rejects invalid blocks with invalid_blocks and records the rejection', async () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const error = await slack.chat.postMessage({ channel: CHANNEL, text: 'x', blocks }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { ok: false, error: 'invalid_blocks', errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'] } });
    expect(fake.messages).toEqual([]);
    expect(fake.allPostedBlocksValid()).toEqual(['chat.postMessage: must be less than 151 characters [json-pointer:/blocks/0/text/text]']);
  });

  it('accepts JSON bodies only with a bearer token', async () => {
    const call = (headers: Record<string, string>, body: object) =>
      fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
    expect(await call({}, { token: TOKEN, channel: CHANNEL, text: 'x' })).toEqual({ ok: false, error: 'not_authed' });
    expect(await call({ authorization: `Bearer ${TOKEN}` }, { channel: CHANNEL, text: 'x', blocks: [section('hi')] })).toMatchObject({ ok: true });
    const form = new URLSearchParams({ token: TOKEN, channel: CHANNEL, blocks: '{not json' });
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', body: form });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('rate limits with 429 and Retry-After', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const strict = client(TOKEN, { rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.calls).toMatchObject([{ method: 'chat.postMessage', ok: false, error: 'ratelimited' }]);

    const res = await (fake.failNext('auth.test', { status: 429, retryAfter: 7 }), fetch(`${fake.apiUrl}auth.test`, { method: 'POST' }));
    expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([429, '7', { ok: false, error: 'ratelimited' }]);
  });

  it('lets a default client deliver after waiting out the Retry-After', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const posted = await new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, logger: quiet }).chat.postMessage({ channel: CHANNEL, text: 'eventually' });
    expect(posted.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.messages.map((m) => m.text)).toEqual(['eventually']);
    expect(fake.calls.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
  });

  it('injects server errors and Slack errors, then recovers', async () => {
    fake.failNext('chat.postMessage', { status: 503 }, 2);
    await expect(slack.chat.postMessage({ channel: CHANNEL, text: 'a' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    await expect(slack.chat.postMessage({ channel: CHANNEL, text: 'b' })).rejects.toMatchObject({ statusCode: 503 });
    fake.failNext('chat.postMessage', { status: 200, error: 'is_archived' });
    await expect(slack.chat.postMessage({ channel: CHANNEL, text: 'c' })).rejects.toMatchObject({ data: { error: 'is_archived' } });
    await expect(slack.chat.postMessage({ channel: CHANNEL, text: 'd' })).resolves.toMatchObject({ ok: true });
  });

  it('opens, updates and publishes views, honouring trigger ids', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Run' }, blocks: [section('hi')], callback_id: 'run' };
    const trigger = fake.mintTriggerId('UOPER001');
    const opened = await slack.views.open({ trigger_id: trigger, view });
    const viewId = opened.view?.id as string;
    expect(fake.views.modals).toMatchObject([{ id: viewId, user: 'UOPER001', callback_id: 'run', closed: false }]);
    await expect(slack.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    const stale = fake.mintTriggerId('UOPER001');
    fake.expireTrigger(stale);
    await expect(slack.views.open({ trigger_id: stale, view })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    const badView = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    await expect(slack.views.open({ trigger_id: fake.mintTriggerId('U1'), view: badView })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });

    await slack.views.update({ view_id: viewId, view: { ...view, blocks: [section('step 2')] } });
    expect(fake.views.modals[0]?.blocks[0]?.text.text).toBe('step 2');
    await expect(slack.views.update({ view_id: viewId, hash: 'old', view })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await slack.views.publish({ user_id: 'UOPER001', view: { type: 'home', blocks: [section('home')] } });
    expect(fake.views.home.UOPER001?.blocks[0]?.text.text).toBe('home');
  });

  it('creates channels, invites users, and lists user groups', async () => {
    await expect(slack.conversations.create({ name: 'Bad Name' })).rejects.toMatchObject({ data: { error: 'invalid_name_specials' } });
    const created = await slack.conversations.create({ name: 'svp-incident-1' });
    expect(created.channel).toMatchObject({ name: 'svp-incident-1', is_private: false, is_member: true });
    await expect(slack.conversations.create({ name: 'svp-incident-1' })).rejects.toMatchObject({ data: { error: 'name_taken' } });
    await slack.conversations.invite({ channel: created.channel?.id as string, users: 'UOPER001,UADMIN01' });
    expect(fake.channels[0]?.members).toEqual(['UBOT0001', 'UOPER001', 'UADMIN01']);
    await expect(slack.conversations.invite({ channel: created.channel?.id as string, users: 'UOPER001' })).rejects.toMatchObject({ data: { error: 'already_in_channel' } });

    fake.usergroups.set('S0ONCALL', ['UOPER001']);
    await expect(slack.usergroups.users.list({ usergroup: 'S0ONCALL' })).resolves.toMatchObject({ users: ['UOPER001'] });
    await expect(slack.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
    await expect(slack.users.info({ user: 'UOPER001' })).resolves.toMatchObject({ user: { id: 'UOPER001' } });
    await expect(slack.users.info({ user: 'nobody' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });
});

describe('fake response_url', () => {
  it('posts ephemeral by default, in_channel on request, and replaces what it posted', async () => {
    const url = fake.responseUrl({ channel: CHANNEL, user: 'UOPER001' });
    expect(url.startsWith(fake.apiUrl.replace('/api/', '/response/'))).toBe(true);
    expect(await postToResponseUrl(url, { text: 'working…' })).toEqual({ status: 200, text: '{"ok":true}' });
    expect(fake.ephemerals).toMatchObject([{ channel: CHANNEL, user: 'UOPER001', text: 'working…' }]);

    await postToResponseUrl(url, { response_type: 'in_channel', text: 'Run started', blocks: [section('Run started')] });
    expect(fake.messages).toMatchObject([{ channel: CHANNEL, text: 'Run started', ts: expect.stringMatching(/^\d+\.\d{6}$/) }]);
    await postToResponseUrl(url, { replace_original: true, text: 'Run finished' });
    expect(fake.messages).toMatchObject([{ text: 'Run finished', edited: true, history: [{ text: 'Run started' }] }]);
    expect(fake.responses.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('replaces the message an interaction came from', async () => {
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'Approve?' });
    const url = fake.responseUrl({ user: 'UOPER001', message: { channel: CHANNEL, ts: posted.ts } });
    await postToResponseUrl(url, { replace_original: true, text: 'Approved' });
    expect(fake.messages).toMatchObject([{ ts: posted.ts, text: 'Approved' }]);
    await postToResponseUrl(url, { delete_original: true });
    expect(fake.messages).toEqual([]);
  });

  it('rejects invalid blocks, a sixth post and expired urls', async () => {
    const url = fake.responseUrl({ channel: CHANNEL, user: 'UOPER001' });
    const invalid = await postToResponseUrl(url, { text: 'x', blocks: [{ type: 'section' }] });
    expect(invalid).toEqual({ status: 400, text: 'invalid_blocks' });
    expect(fake.allPostedBlocksValid()).toEqual(['response_url: must provide either text or fields [json-pointer:/blocks/0]']);
    for (let i = 0; i < 5; i++) expect((await postToResponseUrl(url, { text: `update ${i}` })).status).toBe(200);
    expect(await postToResponseUrl(url, { text: 'one too many' })).toEqual({ status: 404, text: 'used_url' });

    const other = fake.responseUrl({ channel: CHANNEL, user: 'UOPER001' });
    fake.expireResponseUrl(other);
    expect(await postToResponseUrl(other, { text: 'late' })).toEqual({ status: 404, text: 'expired_url' });
    expect(fake.responses.at(-1)).toMatchObject({ url: other, body: { text: 'late' }, status: 404, error: 'expired_url' });
  });
});

describe('harness helpers', () => {
  it('signs requests like Slack (documented test vector)', () => {
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const independent = `v0=${createHmac('sha256', secret).update(`v0:1531420618:${body}`).digest('hex')}`;
    const headers = signRequest(secret, body, 1531420618);
    expect(headers).toEqual({ 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': independent });
    expect(independent).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('waitFor resolves with the probe value and times out with context', async () => {
    setTimeout(() => void slack.chat.postMessage({ channel: CHANNEL, text: 'later' }), 30);
    const message = await fake.waitFor(() => fake.messages.find((m) => m.text === 'later'));
    expect(message.channel).toBe(CHANNEL);
    await expect(fake.waitFor(() => fake.messages.length > 5, 50)).rejects.toThrow(/timed out after 50 ms[\s\S]*chat\.postMessage/);
  });
});
