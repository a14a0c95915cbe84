/**
 * Incidents end to end, through signed Slack requests to the real bot: declare, the
 * checklist across a hard restart, commands in the thread, and two replicas ticking at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, OPERATOR, READER } from '../harness/bot-fixture.js';
import { PG_URL, withPostgresSchema } from '../harness/postgres.js';
import type { Block } from '../harness/fake-slack.js';
import { tempDatabase } from '../harness/support.js';
import { MIN, checkboxGroups, command, declare, incidentBots, settled, shown, stepBlock, thread, ticked } from '../harness/incident-driver.js';

const { bot, stopAll } = incidentBots();
afterEach(stopAll);

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
