/**
 * Incidents end to end, through signed Slack requests to the real bot: declare, the
 * checklist across a hard restart, timers with a fake clock, resolve and the post-mortem,
 * two replicas ticking at once, incident channels, the declare form and the App Home.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, OPERATOR, READER, ADMIN, type TestBot, botPool } from '../harness/bot-fixture.js';
import { PG_URL, withPostgresSchema } from '../harness/postgres.js';
import type { Block, FakeMessage } from '../harness/fake-slack.js';
import { tempDatabase } from '../harness/support.js';

const MIN = 60_000;
const ESCALATION = { SVP_ESCALATION_LEAD: 'ULEAD001', SVP_ESCALATION_MANAGER: 'UMGR0001', SVP_ONCALL: 'UONCALL1' };
const { bot, stopAll } = botPool((opts) => ({ ...opts, env: { ...ESCALATION, ...opts.env } }));
afterEach(stopAll);

/** What a person sees of a message: its text and every text in its blocks, one per line. */
function shown(m: { text: string; blocks: Block[] }): string {
  const texts = m.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: Block) => f.text), ...(b.elements ?? []).map((e: Block) => e.text?.text ?? e.text)]);
  return [m.text, ...texts.filter((x) => typeof x === 'string')].join('\n');
}

/** Option values ticked in the message's checkbox groups, with the note shown beside each. */
function ticked(m: FakeMessage): Record<string, string> {
  const groups = m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements).filter((e: Block) => e.type === 'checkboxes');
  return Object.fromEntries(groups.flatMap((g: Block) => (g.initial_options ?? []).map((o: Block) => [o.value, o.description?.text ?? ''])));
}

const checkboxGroups = (m: { blocks: Block[] }) => m.blocks.filter((b) => b.type === 'actions' && b.elements[0]?.type === 'checkboxes');
const stepBlock = (m: FakeMessage, step: number) => checkboxGroups(m).find((b) => String(b.block_id).includes(`/s${step}/`))!.block_id as string;

/** Runs a command and returns the ephemeral reply (through response_url). */
async function command(t: TestBot, text: string, opts: { userId?: string; channelId?: string } = {}): Promise<string> {
  const sent = await t.driver.command(text, { userId: opts.userId ?? READER, channelId: opts.channelId });
  expect(sent.status).toBe(200);
  const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
  return shown(reply.body as { text: string; blocks: Block[] });
}

/** Declares and returns the incident message as posted in the channel. */
async function declare(t: TestBot, text = 'P1 AI queries failing', channelId = 'COPS0001'): Promise<{ id: string; message: FakeMessage }> {
  const reply = await command(t, `incident declare ${text}`, { userId: OPERATOR, channelId });
  const id = /INC-[A-Z0-9]{4}/.exec(reply)![0];
  const message = await t.slack.waitFor(() => t.slack.messages.find((m) => !m.thread_ts && m.text.includes(`incident ${id}:`)));
  return { id, message };
}

/** The texts of the messages in the incident's thread. */
const thread = (t: TestBot, message: FakeMessage) => t.slack.messages.filter((m) => m.thread_ts === message.ts).map((m) => m.text);
const settled = (...bots: TestBot[]) => bots[0]!.slack.waitFor(() => bots.every((b) => b.bot.inflight.size === 0));

describe('declaring and ticking', () => {
  it('posts one message with severity, target, commander, status and the six steps as checkboxes', async () => {
    const t = await bot();
    const { id, message } = await declare(t);
    const text = shown(message);
    expect(message.blocks[0]!.text.text).toBe(`:rotating_light: P1 ${id}: AI queries failing`);
    expect(text).toContain('*Severity*\nP1 — High');
    expect(text).toContain('*Response target*\n< 30 minutes');
    expect(text).toMatch(/\*Commander\*\nnone yet/);
    expect(text).toMatch(/\*Status\*\n:red_circle: open/);
    const groups = checkboxGroups(message);
    expect(groups).toHaveLength(6);
    expect(groups.map((g) => g.elements[0].options.length)).toEqual([4, 4, 3, 3, 4, 4]);
    expect(text).toContain('Step 6: Post-Mortem (within 1 week) · 0/4');
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('an invalid severity gets an error naming P0 to P3', async () => {
    const t = await bot();
    const reply = await command(t, 'incident declare P5 everything is on fire');
    expect(reply).toContain('Usage: `/svp incident declare <P0-P3> <title>`');
    expect(reply).toContain('expected a severity: P0, P1, P2 or P3');
    expect(await command(t, `incident severity INC-AAAA P9`)).toContain('P0, P1, P2 or P3');
  });

  it('says so when the bot cannot post in the channel, and leaves no ghost incident', async () => {
    const t = await bot();
    t.slack.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
    const reply = await command(t, 'incident declare P2 Uploads broken', { userId: OPERATOR });
    expect(reply).toContain('Could not post the incident message');
    expect(reply).toContain('not_in_channel');
    expect(await command(t, 'incident list')).toContain('No open incidents');
  });

  it('a tick records who and when, survives a hard restart, and a later tick shows beside it', async () => {
    const clock = new FakeClock();
    const t = await bot({ clock });
    const { id, message } = await declare(t);
    clock.advance(3 * MIN);
    await t.driver.tickCheckbox(message, stepBlock(message, 1), ['s1.1'], { userId: OPERATOR });
    await t.slack.waitFor(() => ticked(message)['s1.1']);
    expect(ticked(message)['s1.1']).toBe('<@UOPER001> · 09:03 UTC');

    // Kill the bot without draining, then start a new one on the same database.
    await t.bot.stop(0);
    const again = await bot({ clock, databaseUrl: t.databaseUrl, sim: t.sim, slack: t.slack });
    clock.advance(2 * MIN);
    await again.driver.tickCheckbox(message, stepBlock(message, 2), ['s2.1'], { userId: READER });
    await again.slack.waitFor(() => ticked(message)['s2.1']);
    expect(ticked(message)).toEqual({ 's1.1': '<@UOPER001> · 09:03 UTC', 's2.1': '<@UREAD001> · 09:05 UTC' });
    expect(shown(message)).toContain('responded after 3m');

    // Unticking is recorded too.
    await again.driver.tickCheckbox(message, stepBlock(message, 1), [], { userId: READER });
    await again.slack.waitFor(() => !ticked(message)['s1.1']);
    expect(await command(again, `incident list`)).toContain(id);
  });

  it('a tick from a view that missed someone else’s tick keeps both', async () => {
    const t = await bot();
    const { message } = await declare(t);
    const block = stepBlock(message, 2);
    // What a second person still sees: step 2 with nothing ticked.
    const stale = { blocks: structuredClone(message.blocks), channel: message.channel };
    await t.driver.tickCheckbox(message, block, ['s2.1'], { userId: OPERATOR });
    await t.slack.waitFor(() => ticked(message)['s2.1']);
    await t.driver.tickCheckbox(stale, block, ['s2.3'], { userId: READER });
    await t.slack.waitFor(() => ticked(message)['s2.3']);
    expect(Object.keys(ticked(message)).sort()).toEqual(['s2.1', 's2.3']);
  });
});

describe('commands in the thread or channel', () => {
  it('status, note, severity and commander post in the thread and update the message', async () => {
    const t = await bot();
    const { id, message } = await declare(t, 'P2 Uploads broken', 'CINC0002');
    expect(await command(t, 'incident status Rolled back to v1.2.3', { channelId: 'CINC0002' })).toContain(`${id} updated`);
    await command(t, `incident note ${id} Supabase reports degraded storage`, { channelId: 'COTHER01' });
    await command(t, `incident severity P1`, { channelId: 'CINC0002' });
    await command(t, `incident commander ${id} <@UCMD0001|carol>`);
    await settled(t);
    const lines = thread(t, message).join('\n');
    expect(lines).toContain('*Status update* from <@UREAD001>: Rolled back to v1.2.3');
    expect(lines).toContain('Note from <@UREAD001>: Supabase reports degraded storage');
    expect(lines).toContain(`changed the severity of ${id} to *P1*`);
    expect(lines).toContain('<@UCMD0001> is now the commander');
    await t.slack.waitFor(() => shown(message).includes('*Commander*\n<@UCMD0001>'));
    expect(shown(message)).toContain('*Severity*\nP1 — High');
    expect(shown(message)).toContain('Rolled back to v1.2.3');
    expect(await command(t, 'incident status hello', { channelId: 'CNOWHERE' })).toContain('Which incident?');
  });
});

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
});

/** Two bots on one database tick the 22 boxes at once from one stale view: none is lost. */
async function twoReplicasTick(databaseUrl: string): Promise<void> {
  const a = await bot({ databaseUrl });
  const b = await bot({ databaseUrl, sim: a.sim, slack: a.slack });
  const { id, message } = await declare(a);
  const view = { ...message, blocks: structuredClone(message.blocks) };
  const items = checkboxGroups(view);
  await Promise.all(
    items.flatMap((blk) => blk.elements[0].options.map((o: Block, i: number) => {
      const replica = i % 2 ? a : b;
      return replica.driver.tickCheckbox({ blocks: view.blocks, channel: message.channel }, blk.block_id, [o.value], { userId: i % 2 ? OPERATOR : READER, channelId: message.channel });
    })),
  );
  await settled(a, b);
  await a.slack.waitFor(() => Object.keys(ticked(message)).length === 22);
  const state = await b.bot.services.incidents.load(id);
  expect(Object.values(state!.checks).filter((c) => c.done)).toHaveLength(22);
}

describe('two replicas ticking at once', () => {
  it('on one SQLite file lose nothing', async () => {
    await twoReplicasTick(tempDatabase());
  });
});

describe.skipIf(!PG_URL)('two replicas on one PostgreSQL (TEST_DATABASE_URL)', () => {
  it('ticking at once lose nothing', async () => {
    await withPostgresSchema('svp_inc', async (url) => {
      await twoReplicasTick(url);
    }).finally(async () => {
      await stopAll();
    });
  });
});
