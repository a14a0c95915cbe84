/**
 * Safe operations end to end, through signed Slack requests to the real bot: the Cognee
 * reset and its confirmation, exactly-once under double clicks, replays, retries and two
 * replicas, the audit log across a restart, and the rate limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN2, FakeClock, OPERATOR, READER, type TestBot, botPool } from '../harness/bot-fixture.js';
import { PG_URL, withPostgresSchema } from '../harness/postgres.js';
import type { FakeMessage } from '../harness/fake-slack.js';
import { callsTo } from '../harness/runbook-driver.js';
import { visibleText } from '../harness/support.js';

const RESET = '/cognee/reset';
const { bot, restart, stopAll } = botPool();
afterEach(stopAll);

/** Waits until every acknowledged request has been worked off. */
async function settled(...bots: TestBot[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await bots[0]!.slack.waitFor(() => bots.every((t) => t.bot.inflight.size === 0));
}

/** Runs a command as `userId` and returns the ephemeral reply it got. */
async function ask(t: TestBot, userId: string, text: string): Promise<string> {
  const before = t.slack.ephemerals.length;
  await t.driver.command(text, { userId });
  const reply = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === userId));
  return visibleText(reply);
}

/** Asks for the reset and returns its confirmation message, as posted in the channel. */
async function requestReset(t: TestBot, userId = ADMIN): Promise<FakeMessage> {
  const before = t.slack.messages.length;
  await t.driver.command('cognee reset', { userId });
  return t.slack.waitFor(() => t.slack.messages.slice(before).find((m) => m.text.startsWith('cognee reset: waiting')));
}

const finished = (t: TestBot, message: FakeMessage) => t.slack.waitFor(() => /: (done|failed)$/.test(message.text) && message);

describe('the Cognee reset', () => {
  it('asks first with a danger button whose dialog says what is deleted where; SVP is not called', async () => {
    const t = await bot();
    const message = await requestReset(t);
    const button = message.blocks.flatMap((b) => b.elements ?? []).find((e) => e.style === 'danger');
    expect(button?.confirm.text.text).toContain('deletes all Cognee data');
    expect(button?.confirm.text.text).toContain(`POST /cognee/reset on ${t.sim.url}`);
    expect(button?.confirm.style).toBe('danger');
    await settled(t);
    expect(callsTo(t, RESET)).toBe(0);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it("refuses a non-admin's click ephemerally, audits it, and runs once on the admin's click", async () => {
    const t = await bot();
    const message = await requestReset(t, ADMIN);
    for (const userId of [OPERATOR, READER]) {
      const before = t.slack.ephemerals.length;
      await t.driver.clickButton(message, 'confirm:0', { userId });
      const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === userId));
      expect(refusal.text).toContain('only admins (SVP_ADMINS) may confirm');
    }
    expect(callsTo(t, RESET)).toBe(0);
    expect(message.text).toMatch(/waiting for an admin/);

    await t.driver.clickButton(message, 'confirm:0', { userId: ADMIN2 });
    await finished(t, message);
    expect(callsTo(t, RESET)).toBe(1);
    expect(visibleText(message)).toContain(`requested by <@${ADMIN}>`);
    expect(visibleText(message)).toContain(`confirmed by <@${ADMIN2}>`);
    expect(visibleText(message)).toContain('All Cognee data deleted');

    const audit = await ask(t, OPERATOR, 'audit 10');
    expect(audit).toMatch(/confirm cognee reset.*refused.*only admins/);
    expect(audit).toContain(`<@${READER}>`);
  });

  it('runs once under a double click and a replayed payload', async () => {
    const t = await bot();
    const message = await requestReset(t);
    const clicks = await Promise.all(Array.from({ length: 5 }, (_, i) => t.driver.clickButton(message, 'confirm:0', { userId: i % 2 ? ADMIN : ADMIN2 })));
    await finished(t, message);
    for (const click of clicks) await t.driver.resend(click);
    await settled(t);
    expect(callsTo(t, RESET)).toBe(1);
    expect(message.text).toBe('cognee reset: done');
  });

  it('with SVP_TWO_PERSON, the requester cannot confirm their own request', async () => {
    const t = await bot({ env: { SVP_TWO_PERSON: 'true' } });
    const message = await requestReset(t, ADMIN);
    const before = t.slack.ephemerals.length;
    await t.driver.clickButton(message, 'confirm:0', { userId: ADMIN });
    const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === ADMIN));
    expect(refusal.text).toContain('two-person rule');
    expect(callsTo(t, RESET)).toBe(0);
    await t.driver.clickButton(message, 'confirm:0', { userId: ADMIN2 });
    await finished(t, message);
    expect(callsTo(t, RESET)).toBe(1);
  });

  it('an expired confirmation runs nothing, and its message says so', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const message = await requestReset(t);
    clock.advance(5 * 60_000 + 1_000);
    const before = t.slack.ephemerals.length;
    await t.driver.clickButton(message, 'confirm:0', { userId: ADMIN });
    const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === ADMIN));
    expect(refusal.text).toContain('expired after 5 minutes');
    await t.slack.waitFor(() => message.text === 'cognee reset: expired');
    expect(callsTo(t, RESET)).toBe(0);
  });

  it('may be cancelled by its requester or an admin, not by anyone else', async () => {
    const t = await bot();
    const message = await requestReset(t, ADMIN);
    const before = t.slack.ephemerals.length;
    await t.driver.clickButton(message, 'confirm.cancel:1', { userId: READER });
    const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === READER));
    expect(refusal.text).toContain('only the requester or an admin may cancel');
    expect(message.text).toMatch(/waiting for an admin/);
    await t.driver.clickButton(message, 'confirm.cancel:1', { userId: ADMIN });
    await t.slack.waitFor(() => message.text === 'cognee reset: cancelled');
    expect(await ask(t, OPERATOR, 'audit 5')).toMatch(/<@UREAD001>.*cancel cognee reset.*refused/);
    expect(callsTo(t, RESET)).toBe(0);
  });

  it('is refused outright for someone who is not an admin', async () => {
    const t = await bot();
    expect(await ask(t, OPERATOR, 'cognee reset')).toContain('is for admins only');
    await settled(t);
    expect(t.slack.messages.filter((m) => m.text.startsWith('cognee reset'))).toHaveLength(0);
  });

  it('without SVP_ADMINS, says how to allow destructive steps', async () => {
    const t = await bot({ env: { SVP_ADMINS: '' } });
    expect(await ask(t, OPERATOR, 'cognee reset')).toContain('No admins are configured: set SVP_ADMINS');
  });
});

describe('exactly once and within limits', () => {
  it('a retried delivery (X-Slack-Retry-Num) of cognee warm-up warms up once', async () => {
    const t = await bot();
    const first = await t.driver.command('cognee warm-up', { userId: OPERATOR });
    const retry = await t.driver.post(first.request.rawBody, { ...first.request.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await settled(t);
    expect(callsTo(t, '/cognee/warm-up')).toBe(1);
  });

  it('rate-limits changing commands to 10 a minute per person, with a clear reply', async () => {
    const t = await bot({ clock: new FakeClock() });
    for (let i = 0; i < 10; i++) await t.driver.command('cache clear-expired', { userId: OPERATOR });
    expect(await ask(t, OPERATOR, 'cache clear-expired')).toMatch(/Slow down: at most 10 changing commands a minute.*Try again in 60 s/);
    await settled(t);
    expect(callsTo(t, '/cache/clear-expired')).toBe(10);
    // Reading is never limited, and the limit is per person.
    expect(await ask(t, OPERATOR, 'help')).not.toContain('Slow down');
    await t.driver.command('cache clear-expired', { userId: ADMIN });
    await settled(t);
    expect(callsTo(t, '/cache/clear-expired')).toBe(11);
  });

  it('holds the rate limit across two replicas on one database', async () => {
    const a = await bot();
    const b = await bot({ databaseUrl: a.databaseUrl, sim: a.sim, slack: a.slack });
    for (let i = 0; i < 10; i++) await (i % 2 ? a : b).driver.command('cache clear-expired', { userId: OPERATOR });
    await settled(a, b);
    expect(await ask(a, OPERATOR, 'cache clear-expired')).toMatch(/^Slow down/);
    expect(await ask(b, OPERATOR, 'cache clear-expired')).toMatch(/^Slow down/);
    await settled(a, b);
    expect(callsTo(a, '/cache/clear-expired')).toBe(10);
  });

  it('refuses a job id that is not an id in one line, without calling SVP', async () => {
    const t = await bot();
    for (const jobId of ['../x', 'abc/../../reset', 'a%2F..']) {
      const reply = await ask(t, READER, `cognee status ${jobId}`);
      expect(reply.split('\n')[0]).toMatch(/^Usage: `\/svp cognee status <job-id>` — expected a job id/);
    }
    expect(t.sim.calls).toEqual([]);
  });

  it('resolves operators from a Slack user group', async () => {
    const t = await bot({ env: { SVP_OPERATORS: `${OPERATOR},SOPSTEAM1` } });
    t.slack.usergroups.set('SOPSTEAM1', ['UGROUP01']);
    await t.driver.command('cognee warm-up', { userId: 'UGROUP01' });
    await settled(t);
    expect(callsTo(t, '/cognee/warm-up')).toBe(1);
    expect(await ask(t, 'UNOTGRP1', 'cognee warm-up')).toContain('is for operators only');
  });
});

describe('the audit log', () => {
  it('lists every attempt, allowed or refused, and survives a restart', async () => {
    let t = await bot();
    const message = await requestReset(t);
    await t.driver.clickButton(message, 'confirm:0', { userId: READER });
    await t.driver.clickButton(message, 'confirm:0', { userId: ADMIN });
    await finished(t, message);
    await t.driver.command('cognee warm-up', { userId: OPERATOR });
    await t.driver.command('cognee warm-up', { userId: READER });
    await settled(t);

    t = await restart(t);
    const audit = await ask(t, OPERATOR, 'audit 50');
    expect(audit).toMatch(/cognee reset.*requested.*awaits an admin/);
    expect(audit).toMatch(/confirm cognee reset.*refused.*only admins/);
    expect(audit).toMatch(/confirm cognee reset.*\*ok\*.*All Cognee data deleted/);
    expect(audit).toMatch(/<@UOPER001>.*cognee warm-up.*\*ok\*/);
    expect(audit).toMatch(/<@UREAD001>.*cognee warm-up.*refused.*needs operator/);
    expect(await ask(t, READER, 'audit')).toContain('is for operators only');
  });
});

describe('help', () => {
  it('shows each person what they may run', async () => {
    const t = await bot();
    const line = (help: string, command: string) => help.split('\n').find((l) => l.startsWith(`\`/svp ${command}\``)) ?? '';
    const reader = await ask(t, READER, 'help');
    expect(line(reader, 'cognee reset')).toContain(':lock: _admins only_');
    expect(line(reader, 'cognee warm-up')).toContain(':lock: _operators only_');
    expect(line(reader, 'audit [count]')).toContain(':lock: _operators only_');
    expect(line(reader, 'cognee health')).not.toContain(':lock:');
    const operator = await ask(t, OPERATOR, 'help');
    expect(line(operator, 'cognee warm-up')).not.toContain(':lock:');
    expect(line(operator, 'cognee reset')).toContain(':lock: _admins only_');
    expect(await ask(t, ADMIN, 'help')).not.toContain(':lock:');
  });
});

describe.skipIf(!PG_URL)('two replicas on one PostgreSQL (TEST_DATABASE_URL)', () => {
  it('race for one confirmation and run it once', async () => {
    await withPostgresSchema('svp_e2e', async (url) => {
      const a = await bot({ databaseUrl: url });
      const b = await bot({ databaseUrl: url, sim: a.sim, slack: a.slack });
      const message = await requestReset(a);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).driver.clickButton(message, 'confirm:0', { userId: i % 3 ? ADMIN : ADMIN2 })),
      );
      await finished(a, message);
      await settled(a, b);
      expect(callsTo(a, RESET)).toBe(1);
      const audit = await ask(b, OPERATOR, 'audit 20');
      expect(audit.match(/confirm cognee reset[^\n]*\*ok\*/g)).toHaveLength(1);
    }).finally(async () => {
      await stopAll();
    });
  });
});
