/** Driving runbook runs through the fake Slack: start a run, wait on its message, click, tick. */
import type { TestBot } from './bot-fixture.js';
import { READER } from './bot-fixture.js';
import type { FakeMessage } from './fake-slack.js';
import type { OnScreenMessage } from './slack-driver.js';
import type { FakeClock } from './support.js';
import { eventually, visibleText } from './support.js';
import { RUN_KIND } from '../../src/core/runbooks/service.js';
import type { Run } from '../../src/core/runbooks/engine.js';

export const callsTo = (t: TestBot, route: string) => t.sim.calls.filter((c) => c.route === route).length;
export const changesSvp = (t: TestBot) => t.sim.calls.filter((c) => c.method === 'POST' && !['/ai/query', '/debug/profile', '/cognee/entities', '/cognee/query'].includes(c.route) && !c.route.startsWith('/debug/'));

/** Runs `/svp <text>` and returns the run message it posted in the channel. */
export async function start(t: TestBot, text: string, userId = READER): Promise<FakeMessage> {
  const before = t.slack.messages.length;
  await t.driver.command(text, { userId });
  return t.slack.waitFor(() => t.slack.messages.slice(before).find((m) => !m.thread_ts && m.blocks[0]?.text?.text?.startsWith('Runbook:')));
}

/** Waits until the run message's summary line matches; otherwise says what it shows. */
export async function until(t: TestBot, message: FakeMessage, pattern: RegExp): Promise<FakeMessage> {
  try {
    return await t.slack.waitFor(() => pattern.test(message.text) && message, 3000);
  } catch {
    throw new Error(`the run message never matched ${pattern}; it shows:\n${visibleText(message)}`);
  }
}

/** Clicks and waits for the reply that only the clicker sees. */
export async function clickForReply(t: TestBot, message: OnScreenMessage, label: string, userId: string): Promise<string> {
  const before = t.slack.ephemerals.length;
  await t.driver.clickButton(message, label, { userId });
  return visibleText(await t.slack.waitFor(() => t.slack.ephemerals.slice(before).find((e) => e.user === userId)));
}

/** Ticks the manual step shown on the run message. */
export async function tick(t: TestBot, message: FakeMessage, userId: string): Promise<void> {
  const block = message.blocks.find((b) => b.block_id === 'manual');
  await t.driver.tickCheckbox(message, 'manual', [block!.elements[0].options[0].value], { userId });
}

export async function settled(t: TestBot): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await t.slack.waitFor(() => t.bot.inflight.size === 0);
}


/**
 * Moves the fake clock on by `ms` and lets the runbook sweep run, `times` times. Waits after
 * each sweep until no run is mid-step: a sweep that finds a run still held by the driver
 * of a click hands it over and returns at once, and the next advance must not overtake it.
 */
export async function sweep(t: TestBot, clock: FakeClock, ms: number, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    clock.advance(ms);
    await t.bot.services.scheduler.runTick('runbook-sweep', clock.now());
    await runsAtRest(t);
  }
}

async function runsAtRest(t: TestBot): Promise<void> {
  let busy: string[] = [];
  await eventually(async () => {
    busy = (await t.bot.services.store.list<Run>(RUN_KIND, { activeOnly: true, limit: 200 })).filter(({ data }) => data.state === 'running').map(({ data }) => data.id);
    return busy.length === 0;
  }, () => `runs still mid-step after 3 s: ${busy.join(', ')}`);
}
