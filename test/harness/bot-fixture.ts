/**
 * One call brings up what an end-to-end test needs: the SVP simulator, the fake Slack
 * Web API, the real bot in HTTP mode on loopback, and a driver that signs requests as
 * Slack does. restart() brings the bot back on the same database, as after a crash.
 */
import { loadConfig } from '../../src/config.js';
import { createBot, type Bot } from '../../src/bot.js';
import type { Clock } from '../../src/app/services.js';
import type { BreakerOptions } from '../../src/svp/breakers.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import { SlackDriver } from './slack-driver.js';
import { LogCapture, tempDatabase } from './support.js';

export { FakeClock, LogCapture, tempDatabase } from './support.js';

export const BOT_TOKEN = 'xoxb-test-0000000000-abcdefghijklmnop';
export const SIGNING_SECRET = 'test-signing-secret-8f2a9c';
export const ADMIN = 'UADMIN01';
export const ADMIN2 = 'UADMIN02';
export const OPERATOR = 'UOPER001';
export const READER = 'UREAD001';
export const CHANNEL = 'COPS0001';

export interface TestBotOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Defaults to a fresh SQLite file. */
  databaseUrl?: string;
  sim?: Simulator;
  slack?: FakeSlack;
  /** Off unless a test is about circuit breaking, so one test's faults don't trip the next. */
  breaker?: BreakerOptions;
}

export interface TestBot {
  bot: Bot;
  sim: Simulator;
  slack: FakeSlack;
  driver: SlackDriver;
  logs: LogCapture;
  databaseUrl: string;
  env: Record<string, string>;
  /** Stops the bot only; keeps the simulator, fake Slack and database. */
  stopBot(): Promise<void>;
  /** A new bot process on the same database, simulator and fake Slack. */
  restart(opts?: { env?: Record<string, string>; clock?: Clock }): Promise<TestBot>;
  stop(): Promise<void>;
}


export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const sim = opts.sim ?? (await startSimulator());
  const slack = opts.slack ?? (await startFakeSlack({ token: BOT_TOKEN }));
  const databaseUrl = opts.databaseUrl ?? tempDatabase();
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SVP_API_URL: sim.url,
    SVP_FRONTEND_URL: sim.frontendUrl,
    SVP_TIMEOUT_MS: '1000',
    DATABASE_URL: databaseUrl,
    SVP_ADMINS: `${ADMIN},${ADMIN2}`,
    SVP_OPERATORS: OPERATOR,
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const logs = new LogCapture();
  const bot = await createBot(loadConfig(env), { clock: opts.clock, listen: { host: '127.0.0.1', port: 0 }, logDestination: logs, breaker: opts.breaker ?? { threshold: 0, halfOpenMs: 0 } });
  const driver = new SlackDriver({ appUrl: `${bot.url}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack });
  const ownsSim = !opts.sim;
  const ownsSlack = !opts.slack;
  const handle: TestBot = {
    bot,
    sim,
    slack,
    driver,
    logs,
    databaseUrl,
    env,
    stopBot: () => bot.stop(2000),
    async restart(next = {}) {
      await bot.stop(2000);
      const again = await startTestBot({ env: { ...opts.env, ...next.env }, clock: next.clock ?? opts.clock, databaseUrl, sim, slack, breaker: opts.breaker });
      // The restarted bot owns the simulator and fake Slack from now on.
      return { ...again, stop: async () => {
        await again.stopBot();
        if (ownsSim) await sim.close();
        if (ownsSlack) await slack.close();
      } };
    },
    async stop() {
      await bot.stop(2000);
      if (ownsSim) await sim.close();
      if (ownsSlack) await slack.close();
    },
  };
  return handle;
}

/**
 * For suites that start several bots: `bot()` starts one (with the suite's defaults) and
 * remembers it, `restart()` swaps in its restarted self, and `stopAll` (call it in
 * afterEach) stops them newest first.
 */
export function botPool(defaults: (opts: TestBotOptions) => TestBotOptions = (opts) => opts): {
  bot: (opts?: TestBotOptions) => Promise<TestBot>;
  restart: (t: TestBot) => Promise<TestBot>;
  stopAll: () => Promise<void>;
} {
  const running: TestBot[] = [];
  return {
    async bot(opts = {}) {
      const t = await startTestBot(defaults(opts));
      running.push(t);
      return t;
    },
    /** The bot restarted on the same database, tracked in place of the old one. */
    async restart(t) {
      const again = await t.restart();
      running.splice(running.indexOf(t), 1, again);
      return again;
    },
    async stopAll() {
      for (const t of running.splice(0).reverse()) await t.stop();
    },
  };
}
