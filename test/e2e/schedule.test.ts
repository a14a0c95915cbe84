/**
 * Scheduled posts end to end: the daily digest, weekly maintenance and alert rules, driven
 * tick by tick with scheduler.runTick on a fake clock, posted through the real Bolt app
 * into the fake Slack; and exactly once with two replicas on one PostgreSQL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, OPERATOR, READER, startTestBot, type TestBot, botPool } from '../harness/bot-fixture.js';
import { PG_URL, withPostgresSchema } from '../harness/postgres.js';
import { startFakeSlack, type Block, type FakeMessage } from '../harness/fake-slack.js';
import { startSimulator } from '../../src/simulator/index.js';

const DIGEST_CHANNEL = 'CDIGEST1';
const MIN = 60_000;
const DAY = 86_400_000;
const { bot, stopAll } = botPool((opts) => ({ ...opts, env: { SVP_DIGEST_CHANNEL: DIGEST_CHANNEL, SVP_ONCALL: 'UONCALL1', ...opts.env } }));
afterEach(stopAll);

/** What a person sees of a message: its text and every text in its blocks. */
function shown(m: { text: string; blocks: Block[] }): string {
  const texts = m.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: Block) => f.text), ...(b.elements ?? []).map((e: Block) => e.text?.text ?? e.text)]);
  return [m.text, ...texts.filter((x) => typeof x === 'string')].join('\n');
}

const inDigestChannel = (t: TestBot) => t.slack.messages.filter((m) => m.channel === DIGEST_CHANNEL && !m.thread_ts);
const buttons = (m: FakeMessage) => m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).filter((e: Block) => e.type === 'button');
const tick = (t: TestBot, job: string, at: number) => t.bot.services.scheduler.runTick(job, at);

/** Runs the alert job every minute for `minutes` on the bots in turn (one replica after another). */
async function evaluateAlerts(clock: FakeClock, minutes: number, ...bots: TestBot[]): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    await Promise.all(bots.map((t) => tick(t, 'alerts', clock.now())));
    clock.advance(MIN);
  }
}

describe('the daily digest', () => {
  it('is posted by its cron tick into the channel, once per tick', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const t = await bot({ clock });
    expect(await tick(t, 'digest', clock.now())).toBe(true);
    expect(await tick(t, 'digest', clock.now() + 5_000)).toBe(false); // the same minute: already claimed
    const [digest, ...more] = inDigestChannel(t);
    expect(more).toEqual([]);
    expect(digest!.text).toBe('SVP digest: all clear');
    const text = shown(digest!);
    expect(text).toContain('SVP daily digest · 2026-11-28');
    expect(text).toContain('*Health* — all five checks passed');
    expect(text).toContain('*Key metrics* — all within the healthy baselines');
    expect(text).toContain('*Incidents* — none open');
    expect(text).toContain('*Alerts* — none firing; none fired in the last 24 h');
    // Saturday 09:00: the weekly maintenance (Sunday 02:00 UTC) is due before the next digest.
    expect(text).toContain('weekly run at 2026-11-29 02:00:00 UTC ("Q4 2026 Week 48")');
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('puts problems first with an Open runbook button, and compares with the previous digest', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 9, 0, 0));
    const t = await bot({ clock });
    await tick(t, 'digest', clock.now());
    clock.advance(DAY);
    t.sim.preset('degraded');
    await tick(t, 'digest', clock.now());
    const today = inDigestChannel(t).at(-1)!;
    const text = shown(today);
    expect(today.text).toMatch(/^SVP digest: .*Health: degraded/);
    expect(text).toContain('*Error rate* — 7% (was 0.4%) · baseline < 1% · breach');
    expect(text.indexOf('Error rate')).toBeLessThan(text.indexOf('*Incidents* — none open'));
    expect(buttons(today).map((b: Block) => [b.action_id.split(':')[0], b.value])).toEqual(
      expect.arrayContaining([
        ['runbook.start', 'quick-health-check'],
        ['runbook.start', 'high-error-rate'],
        ['runbook.start', 'slow-ai-queries'],
      ]),
    );
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('/svp digest posts it now, in the channel it was asked in', async () => {
    const t = await bot();
    const before = t.slack.messages.length;
    await t.driver.command('digest', { userId: READER });
    const posted = await t.slack.waitFor(() => t.slack.messages.slice(before).find((m) => m.text.startsWith('SVP digest')));
    expect(posted.channel).toBe('COPS0001');
  });
});

describe('alert rules', () => {
  it('fire once and resolve once across many evaluations, paging the on-call', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.preset('degraded'); // error rate 7% > 5% for 5m
    await evaluateAlerts(clock, 12, t);
    const fired = inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate firing'));
    expect(fired).toHaveLength(1);
    expect(shown(fired[0]!)).toContain('<@UONCALL1> you are paged.');
    expect(buttons(fired[0]!).map((b: Block) => b.text.text)).toEqual(['Open runbook', 'Declare incident', 'Silence 1h']);

    t.sim.preset('healthy');
    await evaluateAlerts(clock, 6, t);
    const alertPosts = inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate'));
    expect(alertPosts.map((m) => m.text)).toEqual([':rotating_light: P1 alert HighErrorRate firing: 7% (error_rate > 5%)', 'HighErrorRate resolved: now 0.4%']);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('post a notice Slack refused once on a later tick, and only once', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.preset('degraded');
    t.slack.failNext('chat.postMessage', { status: 200, error: 'fatal_error' });
    await evaluateAlerts(clock, 6, t); // fires at 5 min; the post fails
    expect(inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate firing'))).toHaveLength(0);
    await evaluateAlerts(clock, 6, t);
    expect(inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate firing'))).toHaveLength(1);
    expect(t.logs.lines.some((l) => l.includes('could not post an alert notice'))).toBe(true);
  });

  it('remind a P1 in the thread of its alert while it fires', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.preset('degraded');
    await evaluateAlerts(clock, 37, t); // fires at 5 min, reminds 30 min later
    const [fired] = inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate firing'));
    const reminders = t.slack.messages.filter((m) => m.thread_ts === fired!.ts);
    expect(reminders.map((m) => m.text)).toEqual([':repeat: HighErrorRate still firing: 7%']);
  });

  it('show their state in /svp alerts, and the Silence button is for operators', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.preset('degraded');
    await evaluateAlerts(clock, 6, t);
    const [fired] = inDigestChannel(t).filter((m) => m.text.includes('HighErrorRate firing'));

    const asked = t.slack.ephemerals.length;
    await t.driver.command('alerts', { userId: READER });
    const overview = await t.slack.waitFor(() => t.slack.ephemerals.slice(asked).find((e) => e.user === READER));
    expect(shown(overview)).toMatch(/\*HighErrorRate \(P1\)\* — `error_rate > 5%` for 5m · now 7% · \*firing\* since/);
    expect(shown(overview)).toContain('*SlowResponses (P2)* — `response_time_p95 > 2s` for 10m · now 900 ms · inactive');

    const refusedAt = t.slack.ephemerals.length;
    await t.driver.clickButton(fired!, 'Silence 1h', { userId: READER });
    const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(refusedAt).find((e) => e.user === READER));
    expect(refusal.text).toContain('Not allowed: silencing an alert is for operators');

    await t.driver.clickButton(fired!, 'Silence 1h', { userId: OPERATOR });
    const silenced = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('HighErrorRate silenced until')));
    expect(shown(silenced)).toContain(`<@${OPERATOR}> silenced *HighErrorRate*`);

    // Silenced: no reminder at 30 min; the expiry after an hour is announced once.
    await evaluateAlerts(clock, 62, t);
    const expiry = inDigestChannel(t).filter((m) => m.text.includes('Silence on HighErrorRate expired'));
    expect(expiry).toHaveLength(1);
    expect(t.slack.messages.filter((m) => m.thread_ts === fired!.ts)).toEqual([]);
  });

  it('/svp alerts silence takes a rule, a duration and a reason; operators only', async () => {
    const t = await bot();
    const refusedAt = t.slack.ephemerals.length;
    await t.driver.command('alerts silence LowCacheHitRate 2h warming up', { userId: READER });
    const refusal = await t.slack.waitFor(() => t.slack.ephemerals.slice(refusedAt).find((e) => e.user === READER));
    expect(refusal.text).toContain('Not allowed');

    const badAt = t.slack.ephemerals.length;
    await t.driver.command('alerts silence LowCacheHitRate forever', { userId: OPERATOR });
    const usage = await t.slack.waitFor(() => t.slack.ephemerals.slice(badAt).find((e) => e.user === OPERATOR));
    expect(usage.text).toBe('Usage: `/svp alerts silence <rule> <duration> [reason]` — expected a duration such as 30m or 2h.');

    await t.driver.command('alerts silence lowcachehitrate 2h warming up', { userId: OPERATOR });
    const done = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('LowCacheHitRate silenced until')));
    expect(shown(done)).toContain(': warming up.');
  });
});

describe('weekly maintenance', () => {
  it('ingests with the week label, follows the job in the thread and posts a checklist that records ticks', async () => {
    const sunday = Date.UTC(2026, 10, 1, 2, 0, 0); // the first Sunday of November: monthly too
    const clock = new FakeClock(sunday);
    const t = await bot({ clock });
    expect(await tick(t, 'maintenance', sunday)).toBe(true);
    const post = await t.slack.waitFor(() => inDigestChannel(t).find((m) => m.text.startsWith('Weekly maintenance')));
    await t.slack.waitFor(() => post.text.includes('steps done') && post);
    expect(t.sim.calls.find((c) => c.route === '/cognee/ingest/products')?.body).toEqual({ time_window_label: 'Q4 2026 Week 44' });
    expect(t.sim.calls.some((c) => c.route === '/cache/clear-expired')).toBe(true);
    const job = t.slack.messages.find((m) => m.thread_ts === post.ts);
    expect(job).toBeDefined();
    // The job follower's sweep follows the job to completion in its own message.
    for (let i = 1; i <= 4; i++) await tick(t, 'jobs', sunday + i * 5_000);
    await t.slack.waitFor(() => /complet/i.test(shown(job!)) && job);

    expect(shown(post)).toContain('Monthly tasks (first Sunday of the month)');
    await t.driver.tickCheckbox(post, 'weekly@2026-11-01', ['vacuum'], { userId: READER });
    await t.slack.waitFor(() => JSON.stringify(post.blocks).includes(`<@${READER}> at 02:00:00 UTC`) && post);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });
});

describe('start-up', () => {
  it('stops on a bad rules file, naming the file, the rule and the reason', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'alert-rules.yml');
    writeFileSync(file, 'alerts:\n  - name: HighErrorRate\n    condition: error_rate > 5 percent\n    duration: 5m\n    severity: P1\n    action: page_oncall\n');
    const sim = await startSimulator();
    const slack = await startFakeSlack();
    try {
      await expect(startTestBot({ sim, slack, env: { SVP_ALERT_RULES: file } })).rejects.toThrow(
        `alert rules file ${file}, rule "HighErrorRate" (line 2): condition "error_rate > 5 percent" is not of the form`,
      );
    } finally {
      await sim.close();
      await slack.close();
    }
  });
});

describe.skipIf(!PG_URL)('two replicas on one PostgreSQL (TEST_DATABASE_URL)', () => {
  it('post one digest per tick and one message per alert transition', async () => {
    await withPostgresSchema('svp_e2e', async (url) => {
      const clock = new FakeClock();
      const a = await bot({ databaseUrl: url, clock });
      const b = await bot({ databaseUrl: url, clock, sim: a.sim, slack: a.slack });

      const ran = await Promise.all([tick(a, 'digest', clock.now()), tick(b, 'digest', clock.now())]);
      expect(ran.filter(Boolean)).toHaveLength(1);
      clock.advance(DAY);
      await Promise.all([tick(a, 'digest', clock.now()), tick(b, 'digest', clock.now())]);
      expect(inDigestChannel(a).filter((m) => m.text.startsWith('SVP digest'))).toHaveLength(2);

      a.sim.preset('degraded');
      await evaluateAlerts(clock, 8, a, b);
      await evaluateAlerts(clock, 2, b);
      a.sim.preset('healthy');
      await evaluateAlerts(clock, 3, b, a);
      const alertPosts = inDigestChannel(a).filter((m) => m.text.includes('HighErrorRate'));
      expect(alertPosts.map((m) => m.text)).toEqual([':rotating_light: P1 alert HighErrorRate firing: 7% (error_rate > 5%)', 'HighErrorRate resolved: now 0.4%']);
    });
  });
});
