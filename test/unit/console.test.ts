/** The local console: typed commands print readable text; numbers press buttons. */
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBot, type Bot } from '../../src/bot.js';
import { runConsole, CONSOLE_USER } from '../../src/console/console.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { LogCapture, tempDatabase } from '../harness/support.js';

class Output extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

let sim: Simulator;
let bot: Bot;

beforeAll(async () => {
  sim = await startSimulator();
  const config = loadConfig({ DATABASE_URL: tempDatabase(), SVP_TIMEOUT_MS: '500', SVP_ADMINS: CONSOLE_USER });
  bot = await createBot(config, { svpApiUrl: sim.url, svpFrontendUrl: sim.frontendUrl, logDestination: new LogCapture() });
});

afterAll(async () => {
  await bot.stop();
  await sim.close();
});

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new Output();
  const done = runConsole({ bot, input, output, banner: 'banner line', simulator: sim, interactive: false });
  input.end(lines.join('\n') + '\n');
  await done;
  return output.text;
}

describe('console', () => {
  it('is in console mode and prints its banner first', async () => {
    expect(bot.services.config.mode).toBe('console');
    const out = await session(['/svp version']);
    expect(out.split('\n')[0]).toBe('banner line');
    expect(out).toContain('Version: `v1.4.2`');
  });

  it('renders the health check as text with one line per probe', async () => {
    sim.reset();
    const out = await session(['/svp health']);
    expect(out).toContain('== SVP health: All five checks passed ==');
    for (const probe of ['AI service', 'Database', 'Cognee', 'Frontend', 'AI query']) expect(out).toMatch(new RegExp(`\\[ OK \\] ${probe}:`));
  });

  it('switches the simulator into a fault state and shows the failure with its reason', async () => {
    sim.reset();
    const out = await session(['/sim fault /api/health/db error 503', '/svp health']);
    expect(out).toContain('Fault set: /api/health/db → error 503.');
    expect(out).toMatch(/\[FAIL\] Database: `GET \/api\/health\/db` answered 503/);
    expect(out).toContain('[1] Declare incident');
    sim.reset();
  });

  it('presses a button by its number and says so when the number is wrong', async () => {
    sim.preset('degraded');
    const out = await session(['/svp health', '2', '9']);
    expect(out.match(/== SVP health: Degraded ==/g)?.length).toBe(2);
    expect(out).toContain('No choice 9. Pick 1–');
    sim.reset();
  });

  it('asks, as Slack would, before the tick of a manual step that changes production counts', async () => {
    const out = await session(['/svp runbook monthly-maintenance', '3']);
    expect(out).toContain('[3] [ ] Done: 1. Update dependencies');
    expect(out).toContain('(confirm dialog) Is it done?: Tick only once “1. Update dependencies” is done.');
    expect(out).toMatch(/Waiting at step 2 of 7/);
  });

  it('answers unknown input with help and bad arguments with one usage line', async () => {
    const out = await session(['/svp frobnicate', '/svp ask', 'exit', '/svp health']);
    expect(out).toContain("I don't know `frobnicate`");
    expect(out).toContain('Usage: `/svp ask <question>` — expected a question after `ask`.');
    // exit stops the loop: nothing after it runs.
    expect(out).not.toContain('SVP health');
  });
});
