/**
 * Runbooks end to end, through signed Slack requests to the real bot and the simulator:
 * the warm-up offered or skipped on the cache hit rate, a run surviving a restart, a destructive step through confirmation,
 * dry runs, free-text triage, and the deploy verify / rollback check shortcuts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, FakeClock, OPERATOR, READER, botPool } from '../harness/bot-fixture.js';
import { callsTo, changesSvp, clickForReply, settled, start, sweep, tick, until } from '../harness/runbook-driver.js';
import { visibleText } from '../harness/support.js';

const { bot, restart, stopAll } = botPool();
afterEach(stopAll);

describe('slow AI queries: the warm-up follows the cache hit rate', () => {
  it('cache hit rate 0.2 → the warm-up is offered; a reader may not run it, an operator runs it once', async () => {
    const t = await bot();
    t.sim.preset('cold-cache');
    const message = await start(t, 'runbook slow-ai-queries');
    await until(t, message, /Waiting at step 3 of 8/);
    const shown = visibleText(message);
    expect(shown).toContain('Cold start: the cache hit rate 0.2 is below 0.3, so warm up the cache.');
    expect(shown).toContain('`POST /cognee/warm-up`');

    const refusal = await clickForReply(t, message, 'Run: Warm up the cache', READER);
    expect(refusal).toContain('Not allowed: “Warm up the cache” is for operators only');
    expect(callsTo(t, '/cognee/warm-up')).toBe(0);

    await t.driver.clickButton(message, 'Run: Warm up the cache', { userId: OPERATOR });
    await until(t, message, /Waiting at step 8 of 8/);
    expect(callsTo(t, '/cognee/warm-up')).toBe(1);
    expect(visibleText(message)).toContain(`Warmed 250 queries" · <@${OPERATOR}>`);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('cache hit rate 0.8 → the warm-up is skipped, with the reason', async () => {
    const t = await bot();
    t.sim.state.cache.hitRate = 0.8;
    const message = await start(t, 'runbook slow-ai-queries');
    await until(t, message, /Waiting at step 8 of 8/);
    const shown = visibleText(message);
    expect(shown).toContain('Not a cold start: the cache hit rate 0.8 is at least 0.3, so a warm-up would not help.');
    expect(shown).toContain('`hit_rate < 0.3` does not hold (hit_rate = 0.8)');
    expect(shown).not.toContain('Run: Warm up the cache');
    expect(callsTo(t, '/cognee/warm-up')).toBe(0);
  });
});

describe('a run survives a restart of the bot half-way', () => {
  it('the new process takes the click on the old message and finishes the run', async () => {
    const t = await bot();
    t.sim.preset('cold-cache');
    const message = await start(t, 'runbook slow-ai-queries');
    await until(t, message, /Waiting at step 3 of 8/);

    const again = await restart(t);
    await again.driver.clickButton(message, 'Run: Warm up the cache', { userId: OPERATOR });
    await until(t, message, /Waiting at step 8 of 8/);
    await tick(again, message, ADMIN);
    await until(t, message, /Done with warnings/);
    expect(callsTo(t, '/cognee/cache/stats')).toBe(1);
    expect(callsTo(t, '/cognee/warm-up')).toBe(1);
    expect(visibleText(message)).toContain(`Done · <@${ADMIN}>`);
  });

  it('changes saved but not shown when the bot died are shown when it starts again, one failure aside', async () => {
    const t = await bot();
    t.sim.preset('cold-cache');
    const messages = [await start(t, 'runbook slow-ai-queries'), await start(t, 'runbook slow-ai-queries')];
    for (const message of messages) await until(t, message, /Waiting at step 3 of 8/);
    for (const run of await t.bot.services.runbooks.live()) await t.bot.services.runbooks.pause(run.id, OPERATOR); // saved, not shown
    await t.stopBot();
    t.slack.failNext('chat.update', { status: 200, error: 'message_not_found' }); // one message was deleted meanwhile
    const again = await restart(t);
    await t.slack.waitFor(() => messages.some((m) => /Paused by <@UOPER001> at step 3 of 8/.test(m.text)));
    await t.slack.waitFor(() => again.logs.lines.some((l) => l.includes('could not refresh a run message')));
    expect(messages.filter((m) => /Waiting at step 3 of 8/.test(m.text))).toHaveLength(1);
  });
});

describe('a destructive step goes through confirmation', () => {
  it('Cognee errors: the reset asks an admin in the thread, runs once, then the run goes on', async () => {
    const t = await bot();
    t.sim.state.cognee.duplicates = 2;
    const message = await start(t, 'runbook cognee-errors', OPERATOR);
    await until(t, message, /Waiting at step 5 of 10/);
    const confirmation = await t.slack.waitFor(() => t.slack.messages.find((m) => m.thread_ts === message.ts && m.text.includes('waiting for an admin')));
    const danger = confirmation.blocks.flatMap((b) => b.elements ?? []).find((e) => e.style === 'danger');
    expect(danger.confirm.title.text).toContain('Clear Cognee data');
    expect(danger.confirm.text.text).toContain(`POST /cognee/reset on ${t.sim.url}`);
    expect(callsTo(t, '/cognee/reset')).toBe(0);

    const refusal = await clickForReply(t, confirmation, 'confirm:0', OPERATOR);
    expect(refusal).toContain('only admins (SVP_ADMINS) may confirm');
    expect(callsTo(t, '/cognee/reset')).toBe(0);

    await Promise.all([t.driver.clickButton(confirmation, 'confirm:0', { userId: ADMIN }), t.driver.clickButton(confirmation, 'confirm:0', { userId: ADMIN })]);
    await until(t, message, /Waiting at step 6 of 10/);
    await t.slack.waitFor(() => /: done$/.test(confirmation.text));
    await settled(t);
    expect(callsTo(t, '/cognee/reset')).toBe(1);
    expect(visibleText(message)).toContain('Run: Step 3: Re-ingest products from scratch');

    const audit = visibleText(await (async () => {
      const before = t.slack.ephemerals.length;
      await t.driver.command('audit 20', { userId: OPERATOR });
      return t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === OPERATOR));
    })());
    expect(audit).toContain('confirm runbook cognee-errors › reset');
    expect(audit).toContain('runbook cognee-errors');
  });
});

describe('dry runs, lists, triage and shortcuts', () => {
  it('--dry-run shows the plan and what needs confirmation, and calls nothing', async () => {
    const t = await bot();
    const before = t.slack.ephemerals.length;
    await t.driver.command('runbook cognee-errors --dry-run', { userId: READER });
    const plan = visibleText(await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === READER)));
    expect(plan).toContain('Dry run: Cognee Errors');
    expect(plan).toContain("`POST /cognee/reset` · needs an admin's confirmation · only when `corrupted`");
    expect(plan).toContain("`POST /cognee/ingest/products` · needs an operator's click");
    expect(plan).toContain("8 calls to SVP; 2 need an operator's click, 1 an admin's confirmation, 0 a person's tick.");
    expect(plan).toContain('• NetworkX state corruption (in-memory)');
    await settled(t);
    expect(t.sim.calls).toEqual([]);
  });

  it('`runbook` lists every runbook with its effect', async () => {
    const t = await bot();
    const before = t.slack.ephemerals.length;
    await t.driver.command('runbook', { userId: READER });
    const list = visibleText(await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === READER)));
    expect(list).toContain('Runbooks (15)');
    expect(list).toMatch(/Rolling Back AI Service\* `rollback` — .*has destructive steps/);
    expect(list).toMatch(/When to Rollback\* `rollback-check` — .*read only/);
  });

  it('free text ranks the runbooks and offers the top three as buttons; one click starts it', async () => {
    const t = await bot();
    const before = t.slack.ephemerals.length;
    await t.driver.command('users report slow response times', { userId: READER });
    const reply = await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === READER));
    const buttons = reply.blocks.flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');
    expect(buttons.map((b) => b.text.text)).toHaveLength(3);
    expect(buttons[0].text.text).toBe('Start: Slow AI Queries (> 5 seconds)');
    expect(visibleText(reply)).toContain('Ranked by BM25 on symptoms and titles.');

    const messages = t.slack.messages.length;
    await t.driver.clickButton(reply, buttons[0].action_id, { userId: READER });
    const message = await t.slack.waitFor(() => t.slack.messages.slice(messages).find((m) => m.text.startsWith('Slow AI Queries')));
    await until(t, message, /Waiting at step 8 of 8/);
  });

  it('with Groq set up but unreachable, the deterministic ranking stands and the reply says so', async () => {
    const t = await bot({ env: { GROQ_API_KEY: 'gsk_test_unreachable', GROQ_BASE_URL: 'http://127.0.0.1:9' } });
    const before = t.slack.ephemerals.length;
    await t.driver.command('out of memory, render keeps auto restarting', { userId: READER });
    const reply = visibleText(await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === READER)));
    expect(reply).toContain('1. High Memory Usage (> 2GB)');
    expect(reply).toContain('the AI reranking is unavailable (Groq could not be reached); this is the deterministic ranking');
  });

  it('rollback check watches an error rate above 10% for 5 minutes before it recommends, and changes nothing', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.state.metrics.error_rate = 0.12;
    const message = await start(t, 'rollback check');
    await until(t, message, /Waiting at step 8 of 10/);
    expect(visibleText(message)).not.toContain('Rollback recommended');
    await sweep(t, clock, 30_000, 10);
    await until(t, message, /Done with failures/);
    const shown = visibleText(message);
    expect(shown).toContain('Error rate 12% is above 10%.');
    expect(shown).toContain('Error rate stayed above 10% for 5 minutes (now 12%).');
    expect(shown).toContain('Rollback recommended');
    expect(callsTo(t, '/metrics')).toBeGreaterThanOrEqual(10);
    expect(changesSvp(t)).toEqual([]);
  });

  it('rollback check: an error rate that falls back within 5 minutes is no reason to roll back', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.state.metrics.error_rate = 0.12;
    const message = await start(t, 'rollback check');
    await until(t, message, /Waiting at step 8 of 10/);
    await sweep(t, clock, 30_000, 2);
    t.sim.state.metrics.error_rate = 0.02;
    await sweep(t, clock, 30_000, 1);
    await until(t, message, /: :large_green_circle: Done|Done with warnings/);
    const shown = visibleText(message);
    expect(shown).toContain('Error rate fell back to 2% within 5 minutes.');
    expect(shown).toContain('No rollback needed');
  });

  it('rollback check recommends at once when another criterion is met', async () => {
    const t = await bot();
    t.sim.state.metrics.error_rate = 0.12;
    t.sim.state.metrics.response_time_p95_ms = 3000;
    const message = await start(t, 'rollback check');
    await until(t, message, /Done with failures/);
    const shown = visibleText(message);
    expect(shown).toContain('p95 3000 ms is more than 5x the 500 ms baseline.');
    expect(shown).toContain('Rollback recommended');
  });

  it('rollback check on a healthy service recommends no rollback', async () => {
    const t = await bot();
    const message = await start(t, 'rollback check');
    await until(t, message, /: :large_green_circle: Done/);
    expect(visibleText(message)).toContain('No rollback needed: no When to Rollback criterion is met.');
  });

  it('deploy verify runs the health check, a test query, error rate and response time against the baselines', async () => {
    const t = await bot();
    const message = await start(t, 'deploy verify');
    await until(t, message, /Waiting at step 11 of 12/);
    const shown = visibleText(message);
    expect(shown).toContain('Healthy: all five checks passed.');
    expect(shown).toContain('Error rate 0.4% is below 1%.');
    expect(shown).toContain('p95 320 ms is at baseline (below 500 ms).');
    expect(t.sim.calls.some((c) => c.route === '/ai/query' && (c.body as { query?: string }).query === 'Test query after deployment')).toBe(true);
  });
});

describe('pause, resume and cancel from the run message', () => {
  it('only the starter or an operator may cancel; a paused run runs no step', async () => {
    const t = await bot();
    t.sim.preset('cold-cache');
    const message = await start(t, 'runbook slow-ai-queries', READER);
    await until(t, message, /Waiting at step 3/);
    await t.driver.clickButton(message, 'Pause', { userId: READER });
    await until(t, message, /Paused by <@UREAD001> at step 3/);
    expect(visibleText(message)).not.toContain('Run: Warm up the cache');
    await t.driver.clickButton(message, 'Resume', { userId: OPERATOR });
    await until(t, message, /Waiting at step 3/);
    const refusal = await clickForReply(t, message, 'Cancel run', 'UOTHER01');
    expect(refusal).toContain('who started this run, or an operator may cancel it');
    await t.driver.clickButton(message, 'Cancel run', { userId: OPERATOR });
    await until(t, message, /Cancelled by <@UOPER001>/);
    expect(callsTo(t, '/cognee/warm-up')).toBe(0);
  });

  it('a run no one acts on for a day expires: its buttons go, and a click from the old message runs nothing', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    t.sim.preset('cold-cache');
    const waiting = await start(t, 'runbook slow-ai-queries');
    await until(t, waiting, /Waiting at step 3/);
    const paused = await start(t, 'runbook slow-ai-queries');
    await until(t, paused, /Waiting at step 3/);
    await t.driver.clickButton(paused, 'Pause', { userId: READER });
    await until(t, paused, /Paused by/);
    // As a client that has not refreshed still shows it.
    const stale = { channel: waiting.channel, blocks: structuredClone(waiting.blocks) };

    await sweep(t, clock, 23 * 60 * 60_000);
    expect(waiting.text).toMatch(/Waiting at step 3/);
    await sweep(t, clock, 60 * 60_000);
    await until(t, waiting, /Expired after a day with no one acting/);
    await until(t, paused, /Expired after a day with no one acting/);
    expect(visibleText(waiting)).toContain('`/svp runbook slow-ai-queries` starts it afresh');
    expect(waiting.blocks.some((b) => b.type === 'actions')).toBe(false);

    const refusal = await clickForReply(t, stale, 'Run: Warm up the cache', OPERATOR);
    expect(refusal).toContain('Nothing done: this step is no longer waiting (the run expired after a day without action).');
    expect(callsTo(t, '/cognee/warm-up')).toBe(0);
  });
});

/** Each procedure, started in the state that triggers it: where it stops and what it found. */
