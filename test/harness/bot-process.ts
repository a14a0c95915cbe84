/**
 * The bot as production runs it: its own process (`node --import tsx src/main.ts`) in HTTP
 * mode, against the SVP simulator and the fake Slack living in the test process. A rig
 * keeps the simulator, fake Slack, database and port across restarts, so a test can kill
 * the bot (-9), stop it (SIGTERM) and start a new process where the old one left off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/processes.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { ADMIN, ADMIN2, BOT_TOKEN, OPERATOR, SIGNING_SECRET } from './bot-fixture.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import { SlackDriver } from './slack-driver.js';
import { tempDatabase } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotChild {
  proc: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stderr(): string;
}

/** Children still running, killed when the test process exits however it exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});

/** Starts `src/main.ts` with exactly `env` as its configuration (the parent's own bot settings are left out). */
export function spawnBot(env: Record<string, string>): BotChild {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(SLACK_|SVP_|GROQ_|DATABASE_URL$|PORT$|LOG_LEVEL$)/.test(name));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...Object.fromEntries(inherited), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let output = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  proc.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<Exit>((resolve) =>
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    }),
  );
  return { proc, exited, output: () => output, stderr: () => stderr };
}

export interface RigOptions {
  env?: Record<string, string>;
  sim?: SimulatorOptions;
}

/** One bot's world: simulator, fake Slack, database file, port and a signing driver. */
export class BotRig {
  bot?: BotChild;
  readonly driver: SlackDriver;
  readonly env: Record<string, string>;

  private constructor(readonly sim: Simulator, readonly slack: FakeSlack, readonly port: number, extraEnv: Record<string, string>) {
    this.env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SVP_API_URL: sim.url,
      SVP_FRONTEND_URL: sim.frontendUrl,
      SVP_TIMEOUT_MS: '3000',
      DATABASE_URL: tempDatabase(),
      PORT: String(port),
      SVP_ADMINS: `${ADMIN},${ADMIN2}`,
      SVP_OPERATORS: OPERATOR,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    };
    this.driver = new SlackDriver({ appUrl: `${this.url}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack });
  }

  static async create(opts: RigOptions = {}): Promise<BotRig> {
    const [sim, slack, port] = await Promise.all([startSimulator(opts.sim), startFakeSlack({ token: BOT_TOKEN }), freePort()]);
    return new BotRig(sim, slack, port, opts.env ?? {});
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a bot process on this rig's database and port; resolves once it reports ready. */
  async start(): Promise<BotChild> {
    if (this.bot && this.bot.proc.exitCode === null && this.bot.proc.signalCode === null) throw new Error('a bot process is already running');
    const bot = spawnBot(this.env);
    this.bot = bot;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const exited = bot.proc.exitCode !== null || bot.proc.signalCode !== null;
      if (exited || Date.now() > deadline) throw new Error(`the bot did not start${exited ? ` (exit ${bot.proc.exitCode})` : ''}:\n${bot.output()}`);
      const ready = await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false);
      if (ready) return bot;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** kill -9: no drain, no cleanup, as when the host dies. */
  async kill(): Promise<Exit> {
    const bot = this.current();
    bot.proc.kill('SIGKILL');
    return bot.exited;
  }

  /** Kills the bot if it still runs, then closes the simulator and fake Slack. */
  async close(): Promise<void> {
    if (this.bot && this.bot.proc.exitCode === null && this.bot.proc.signalCode === null) await this.kill();
    await Promise.all([this.sim.close(), this.slack.close()]);
  }

  private current(): BotChild {
    if (!this.bot) throw new Error('no bot process was started');
    return this.bot;
  }
}
