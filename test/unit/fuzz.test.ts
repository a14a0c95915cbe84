/**
 * Property-based fuzzing of everything that takes outside input: the command parser and
 * every argument schema, the SVP client's path parameters, and the Block Kit every reply
 * renders to. Thousands of cases: no crash, no unhandled rejection, always a valid reply.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBot, type Bot } from '../../src/bot.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { renderBlocks } from '../../src/slack/render.js';
import { SvpClient } from '../../src/svp/client.js';
import { OpsError } from '../../src/errors.js';
import { validateMessage } from '../harness/block-kit.js';
import { LogCapture, tempDatabase } from '../harness/support.js';
import type { Surface } from '../../src/app/command.js';
import type { Message } from '../../src/core/message.js';

let sim: Simulator;
let bot: Bot;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** Collects everything the bot sends, and checks it is valid Block Kit. */
const sent: Message[] = [];
const surface: Surface = {
  post: async (m) => (sent.push(m), { channelId: 'CFUZZ', ts: String(sent.length) }),
  update: async (_r, m) => void sent.push(m),
  whisper: async (m) => void sent.push(m),
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  sim = await startSimulator();
  const config = loadConfig({ DATABASE_URL: tempDatabase(), SVP_TIMEOUT_MS: '300', SVP_ADMINS: 'UFUZZADM', SVP_OPERATORS: 'UFUZZOPS' });
  bot = await createBot(config, { svpApiUrl: sim.url, svpFrontendUrl: sim.frontendUrl, logDestination: new LogCapture(), breaker: { threshold: 0, halfOpenMs: 0 } });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await bot.stop();
  await sim.close();
});

const words = () => bot.services.commands.flatMap((c) => c.name.split(' '));
const hostile = fc.constantFrom('../', '..%2F', '%2F', '\n', '\r\n', '<!channel>', '<@U123>', '`', '```', '*', '|', '&', '\u0000', '\u202e', '😀', 'http://evil.example/x', '"; DROP TABLE', '${process.env}', '{{x}}', ' ', '--dry-run', 'P0', 'P9', '-1', '1e309', 'NaN');
const token = () => fc.oneof(fc.constantFrom(...words()), hostile, fc.string({ maxLength: 12 }), fc.integer().map(String));
const commandText = () => fc.array(token(), { maxLength: 8 }).map((ts) => ts.join(' '));

function assertValid(reply: Message | undefined): void {
  if (!reply) return;
  const errors = validateMessage(renderBlocks(reply));
  expect(errors, reply.text).toEqual([]);
}

describe('fuzzing the command line', () => {
  it('answers any text with a valid message, whoever types it, without crashing', async () => {
    await fc.assert(
      fc.asyncProperty(commandText(), fc.constantFrom('UFUZZADM', 'UFUZZOPS', 'UFUZZRDR'), async (text, userId) => {
        const reply = await bot.dispatcher.command({ text, actor: { userId, channelId: 'CFUZZ' }, surface });
        assertValid(reply);
        // Everything that comes back is a reply to show, never an exception.
        expect(typeof (reply?.text ?? '')).toBe('string');
      }),
      { numRuns: 1500 },
    );
    for (const m of sent) assertValid(m);
    expect(unhandled).toEqual([]);
  });

  it('every argument schema accepts or rejects any string without throwing', () => {
    for (const command of bot.services.commands) {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (text) => {
          const parsed = command.args.safeParse(text);
          if (!parsed.success) expect(parsed.error.issues[0]?.message).toBeTruthy();
        }),
        { numRuns: 300 },
      );
    }
  });

  it('buttons with any action id and value answer, never crash', async () => {
    const actionIds = ['confirm', 'confirm.cancel', 'health.rerun', 'runbook.start', 'incident.declare', 'nope', ''];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actionIds), fc.string({ maxLength: 80 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), async (id, value, selected) => {
        const reply = await bot.dispatcher.action({ actionId: `${id}:0`, click: { value, selected }, actor: { userId: 'UFUZZRDR', channelId: 'CFUZZ' }, surface });
        assertValid(reply);
      }),
      { numRuns: 500 },
    );
    expect(unhandled).toEqual([]);
  });
});

describe('SVP path parameters', () => {
  it('refuses ids that could leave their path segment, and never sends them', async () => {
    const client = new SvpClient({ apiUrl: sim.url, frontendUrl: sim.frontendUrl, timeoutMs: 300, breaker: { threshold: 0, halfOpenMs: 0 } });
    const before = sim.calls.length;
    const bad = fc.oneof(
      fc.constantFrom('../x', '..%2Fcognee%2Freset', 'a/b', 'http://evil.example', 'job\nid', 'job id', '', '%2e%2e', 'a?b=c', 'a#b', '.hidden'),
      fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (jobId) => {
        await expect(client.call('ingestStatus', { params: { jobId } })).rejects.toBeInstanceOf(OpsError);
      }),
      { numRuns: 500 },
    );
    expect(sim.calls.length).toBe(before);
    await client.close();
  });
});
