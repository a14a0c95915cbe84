/** Driving incidents through the fake Slack: declare, run commands, read the message and its thread. */
import { expect } from 'vitest';
import { READER, OPERATOR, type TestBot, botPool } from './bot-fixture.js';
import type { Block, FakeMessage } from './fake-slack.js';

export const MIN = 60_000;
const ESCALATION = { SVP_ESCALATION_LEAD: 'ULEAD001', SVP_ESCALATION_MANAGER: 'UMGR0001', SVP_ONCALL: 'UONCALL1' };
/** Bots whose escalation path names a lead, a manager and the on-call. */
export const incidentBots = () => botPool((opts) => ({ ...opts, env: { ...ESCALATION, ...opts.env } }));

/** What a person sees of a message: its text and every text in its blocks, one per line. */
export function shown(m: { text: string; blocks: Block[] }): string {
  const texts = m.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: Block) => f.text), ...(b.elements ?? []).map((e: Block) => e.text?.text ?? e.text)]);
  return [m.text, ...texts.filter((x) => typeof x === 'string')].join('\n');
}

/** Option values ticked in the message's checkbox groups, with the note shown beside each. */
export function ticked(m: FakeMessage): Record<string, string> {
  const groups = m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements).filter((e: Block) => e.type === 'checkboxes');
  return Object.fromEntries(groups.flatMap((g: Block) => (g.initial_options ?? []).map((o: Block) => [o.value, o.description?.text ?? ''])));
}

export const checkboxGroups = (m: { blocks: Block[] }) => m.blocks.filter((b) => b.type === 'actions' && b.elements[0]?.type === 'checkboxes');
export const stepBlock = (m: FakeMessage, step: number) => checkboxGroups(m).find((b) => String(b.block_id).includes(`/s${step}/`))!.block_id as string;

/** Runs a command and returns the ephemeral reply (through response_url). */
export async function command(t: TestBot, text: string, opts: { userId?: string; channelId?: string } = {}): Promise<string> {
  const sent = await t.driver.command(text, { userId: opts.userId ?? READER, channelId: opts.channelId });
  expect(sent.status).toBe(200);
  const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.url === sent.responseUrl && !r.ack));
  return shown(reply.body as { text: string; blocks: Block[] });
}

/** Declares and returns the incident message as posted in the channel. */
export async function declare(t: TestBot, text = 'P1 AI queries failing', channelId = 'COPS0001'): Promise<{ id: string; message: FakeMessage }> {
  const reply = await command(t, `incident declare ${text}`, { userId: OPERATOR, channelId });
  const id = /INC-[A-Z0-9]{4}/.exec(reply)![0];
  const message = await t.slack.waitFor(() => t.slack.messages.find((m) => !m.thread_ts && m.text.includes(`incident ${id}:`)));
  return { id, message };
}

/** The texts of the messages in the incident's thread. */
export const thread = (t: TestBot, message: FakeMessage) => t.slack.messages.filter((m) => m.thread_ts === message.ts).map((m) => m.text);
export const settled = (...bots: TestBot[]) => bots[0]!.slack.waitFor(() => bots.every((b) => b.bot.inflight.size === 0));
