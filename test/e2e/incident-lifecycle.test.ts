/**
 * An incident's life after it is declared, end to end: timers with a fake clock, resolve
 * and the post-mortem, incident channels, the declare form and the App Home.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, OPERATOR, READER, ADMIN } from '../harness/bot-fixture.js';
import { MIN, command, declare, incidentBots, settled, shown, stepBlock, thread } from '../harness/incident-driver.js';

const { bot, stopAll } = incidentBots();
afterEach(stopAll);

describe('timers', () => {
  it('remind, escalate to the lead and (P0) the manager, and nudge for status, each once', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const { message } = await declare(t, 'P0 Service down');
    const sweep = async (after: number) => {
      clock.advance(after);
      await t.bot.services.scheduler.runTick('incident-timers', clock.now());
    };
    await sweep(4 * MIN);
    expect(thread(t, message)).toEqual([]);
    await sweep(MIN);
    expect(thread(t, message).join('\n')).toMatch(/Response target breached.*<@UONCALL1>/);
    await sweep(25 * MIN);
    await sweep(MIN);
    let lines = thread(t, message).join('\n');
    expect(lines.match(/Escalation: team lead/g)).toHaveLength(1);
    expect(lines).toContain('<@ULEAD001>, please join.');
    expect(lines.match(/Status update due/g)).toHaveLength(1);
    expect(lines).not.toContain('engineering manager');
    await sweep(30 * MIN);
    lines = thread(t, message).join('\n');
    expect(lines.match(/Escalation: engineering manager/g)).toHaveLength(1);
    expect(lines).toContain('<@UMGR0001>, please join.');
    expect(lines.match(/Response target breached/g)).toHaveLength(1);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('a nudge can be snoozed from its button', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const { message } = await declare(t, 'P1 Slow queries');
    await command(t, 'incident status looking', { userId: OPERATOR });
    clock.advance(30 * MIN);
    await t.bot.services.scheduler.runTick('incident-timers', clock.now());
    const nudge = t.slack.messages.find((m) => m.thread_ts === message.ts && m.text.includes('Status update due'))!;
    await t.driver.clickButton(nudge, 'Snooze 60 min', { userId: OPERATOR });
    await settled(t);
    for (const step of [30 * MIN, 29 * MIN]) {
      clock.advance(step);
      await t.bot.services.scheduler.runTick('incident-timers', clock.now());
    }
    expect(thread(t, message).filter((l) => l.includes('Status update due'))).toHaveLength(1);
    clock.advance(MIN);
    await t.bot.services.scheduler.runTick('incident-timers', clock.now());
    expect(thread(t, message).filter((l) => l.includes('Status update due'))).toHaveLength(2);
  });
});

describe('resolve and the post-mortem', () => {
  it('the Resolve button posts the duration and a Markdown draft with the timeline and audit log', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const { id, message } = await declare(t, 'P1 AI queries failing');
    clock.advance(4 * MIN);
    await t.driver.tickCheckbox(message, stepBlock(message, 1), ['s1.2'], { userId: OPERATOR });
    clock.advance(6 * MIN);
    await command(t, 'cache clear-expired', { userId: OPERATOR });
    clock.advance(50 * MIN);
    await t.driver.clickButton(message, 'Resolve', { userId: ADMIN });
    const draft = await t.slack.waitFor(() => t.slack.messages.find((m) => m.thread_ts === message.ts && m.text === `Post-mortem draft for ${id}`));
    expect(thread(t, message).join('\n')).toContain(`*${id} resolved* by <@UADMIN01> after 1h`);
    const markdown = shown(draft);
    for (const heading of ['## Summary', '## Impact', '## Timeline (UTC)', '## Root cause', '## Prevention']) expect(markdown).toContain(heading);
    expect(markdown).toContain('- 09:00 UTC declared P1 by @UOPER001: AI queries failing');
    expect(markdown).toContain('- 09:04 UTC @UOPER001 ticked “Review error rate and metrics”');
    expect(markdown).toContain('- 09:10 UTC @UOPER001 ran cache clear-expired: ok');
    expect(markdown).toContain('- 10:00 UTC resolved by @UADMIN01');
    expect(markdown).toContain('- Duration: 1h');
    await t.slack.waitFor(() => shown(message).includes(':white_check_mark: resolved by <@UADMIN01> after 1h'));
    expect(shown(message)).not.toContain('Resolve');
    expect(t.slack.allPostedBlocksValid()).toEqual([]);

    // Seven days on without the post-mortem marked done: one reminder.
    clock.advance(7 * 24 * 60 * MIN);
    await t.bot.services.scheduler.runTick('incident-timers', clock.now());
    expect(thread(t, message).filter((l) => l.includes('Post-mortem overdue'))).toHaveLength(1);
    await t.driver.clickButton(draft, 'Mark post-mortem done', { userId: OPERATOR });
    await t.slack.waitFor(() => thread(t, message).some((l) => l.includes('marked done by <@UOPER001>')));
    expect(await command(t, 'incident list')).toContain('No open incidents');
  });
});

describe('incident channels', () => {
  it('with SVP_INCIDENT_CHANNELS=true, creates inc-<yyyymmdd>-<slug>, invites the declarer and links it', async () => {
    const t = await bot({ clock: new FakeClock(), env: { SVP_INCIDENT_CHANNELS: 'true' } });
    const reply = await command(t, 'incident declare P2 Document upload broken', { userId: OPERATOR });
    const room = t.slack.channels.find((c) => c.name === 'inc-20261128-document-upload-broken')!;
    expect(room.members).toContain(OPERATOR);
    expect(reply).toContain(`<#${room.id}>`);
    const inRoom = t.slack.messages.find((m) => m.channel === room.id && !m.thread_ts)!;
    expect(inRoom.text).toMatch(/P2 incident INC-[A-Z0-9]{4}: Document upload broken/);
    const link = t.slack.messages.find((m) => m.channel === 'COPS0001' && m.text.includes(`<#${room.id}>`));
    expect(link).toBeDefined();
    // Commands typed in the incident's channel find it.
    expect(await command(t, 'incident status investigating', { channelId: room.id })).toContain('updated');
  });
});

describe('the declare form and the App Home', () => {
  it('`incident declare` without arguments opens a form whose submission declares', async () => {
    const t = await bot();
    await t.driver.command('incident declare', { userId: OPERATOR });
    const modal = await t.slack.waitFor(() => t.slack.views.modals.find((m) => m.callback_id === 'incident.declare'));
    const submitted = await t.driver.submitView(modal, { severity: { value: 'P2' }, title: { value: 'Uploads slow' }, feature: { value: 'document upload' }, commander: { value: 'UCMD0001' } });
    const message = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.includes('Uploads slow')));
    expect(message.channel).toBe('COPS0001');
    // A replayed submission declares nothing more.
    await t.driver.resend(submitted);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.slack.messages.filter((m) => m.text.includes('Uploads slow') && !m.thread_ts)).toHaveLength(1);
    expect(shown(message)).toContain('*Affected feature*\ndocument upload');
    expect(shown(message)).toContain('*Commander*\n<@UCMD0001>');
    expect(modal.closed).toBe(true);
  });

  it('a failing health check’s Declare button opens the form prefilled', async () => {
    const t = await bot();
    t.sim.setFault('/api/health/db', { kind: 'unavailable' });
    const sent = await t.driver.command('health', { userId: READER });
    const report = await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
    const posted = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('SVP degraded')));
    expect(report.status).toBe(200);
    await t.driver.clickButton(posted, 'Declare incident', { userId: READER });
    const modal = await t.slack.waitFor(() => t.slack.views.modals.find((m) => m.callback_id === 'incident.declare'));
    const severity = modal.blocks.find((b) => b.block_id === 'severity')!.element.initial_option.value;
    const title = modal.blocks.find((b) => b.block_id === 'title')!.element.initial_value;
    expect(severity).toBe('P2');
    expect(title).toBe('Health check: Database failing');
  });

  it('App Home lists open incidents against their target, the last health check and firing alerts', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const { id } = await declare(t, 'P1 AI queries failing');
    await command(t, 'health');
    await t.bot.services.store.put('alert-state', 'HighErrorRate', { rule: 'HighErrorRate', severity: 'P1', condition: 'error_rate > 5%', phase: 'firing', value: '7%', firingSince: clock.now(), seq: 1 });
    clock.advance(45 * MIN);
    await t.driver.event({ type: 'app_home_opened', user: READER, tab: 'home', channel: 'DREAD001' });
    const home = await t.slack.waitFor(() => t.slack.views.home[READER]);
    const text = home.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(text).toContain(`*${id}* · P1 · AI queries failing · open 45m · target < 30 minutes · :warning: breached`);
    expect(text).toMatch(/SVP health: All five checks passed/);
    expect(text).toMatch(/\*HighErrorRate\* \(P1\) · error\u200B_rate › 5% · now 7% · firing since 09:00 UTC/);
    expect(JSON.stringify(home.blocks)).toContain('P1|Alert HighErrorRate');
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('App Home stays current for whoever has it open: republished when what it shows changes', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const refresh = async () => {
      clock.advance(MIN);
      await t.bot.services.scheduler.runTick('app-home', clock.now());
    };
    const homeText = () => t.slack.views.home[READER]!.blocks.map((b) => b.text?.text ?? '').join('\n');
    const publishes = () => 1 + t.slack.views.home[READER]!.history.length;
    await t.driver.event({ type: 'app_home_opened', user: READER, tab: 'home', channel: 'DREAD001' });
    await t.slack.waitFor(() => t.slack.views.home[READER]);
    expect(homeText()).toContain('No open incidents.');
    await refresh();
    const settledCount = publishes();
    await refresh();
    expect(publishes()).toBe(settledCount); // nothing changed: nothing sent

    const { id } = await declare(t, 'P0 Checkout down');
    await refresh();
    expect(homeText()).toContain(`*${id}* · P0 · Checkout down · open 1m`);
    await refresh();
    expect(homeText()).toContain(`*${id}* · P0 · Checkout down · open 2m`);
    await t.driver.clickButton((await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.includes(`incident ${id}:`))))!, 'Resolve', { userId: ADMIN });
    await settled(t);
    await refresh();
    expect(homeText()).toContain('No open incidents.');
    expect(t.slack.views.home[OPERATOR]).toBeUndefined(); // never opened it: nothing sent
    // A publish that fails is tried again for that viewer alone.
    await t.driver.event({ type: 'app_home_opened', user: OPERATOR, tab: 'home', channel: 'DOPER001' });
    await t.slack.waitFor(() => t.slack.views.home[OPERATOR]);
    await t.bot.services.store.put('alert-state', 'HighErrorRate', { rule: 'HighErrorRate', severity: 'P1', condition: 'error_rate > 5%', phase: 'firing', value: '7%', firingSince: clock.now(), seq: 1 });
    t.slack.failNext('views.publish', { status: 200, error: 'internal_error' });
    await refresh();
    const sent = { reader: publishes(), operator: t.slack.views.home[OPERATOR]!.history.length };
    await refresh();
    const resent = { reader: publishes() - sent.reader, operator: t.slack.views.home[OPERATOR]!.history.length - sent.operator };
    expect(resent.reader + resent.operator).toBe(1);
    // Opened more than 12 hours ago: left alone until opened again.
    clock.advance(12 * 60 * MIN);
    await declare(t, 'P2 Slow search');
    const before = publishes();
    await refresh();
    expect(publishes()).toBe(before);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });
});
