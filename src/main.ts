/**
 * Composition root: environment → config → bot → mode (Socket Mode, HTTP, or console).
 */
import { loadConfig, ConfigError, secretsOf, type Config } from './config.js';
import { createBot } from './bot.js';
import { redactSecrets, registerSecrets } from './secrets.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`svp-ops: bad configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Before anything can fail with a message that quotes them.
  registerSecrets(secretsOf(config));

  if (config.mode === 'console') {
    // Loaded only here: a bot serving Slack carries neither the console nor the simulator.
    const { runConsole, CONSOLE_USER } = await import('./console/console.js');
    const { startSimulator } = await import('./simulator/index.js');
    const simulator = config.useSimulator ? await startSimulator() : undefined;
    // The console keeps logs quiet unless asked (the terminal is for replies), and its one
    // local user is an admin: destructive steps still ask for confirmation.
    const consoleConfig: Config = { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, SVP_ADMINS: [...config.SVP_ADMINS, CONSOLE_USER] };
    const bot = await createBot(consoleConfig, {
      svpApiUrl: simulator?.url,
      svpFrontendUrl: simulator?.frontendUrl,
      logDestination: process.stderr as never,
    });
    const banner = simulator
      ? `svp-ops console — using the built-in SVP simulator at ${simulator.url} (set SVP_API_URL to target a real SVP). You are an admin here. Type /svp help, /sim help, or exit.`
      : `svp-ops console — targeting ${config.svpApiUrl}. You are an admin here. Type /svp help or exit.`;
    bot.startSchedules();
    await runConsole({ bot, input: process.stdin, output: process.stdout, banner, simulator, interactive: process.stdin.isTTY === true });
    await bot.stop();
    await simulator?.close();
    return;
  }

  const bot = await createBot(config);
  bot.startSchedules();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    bot.log.info({ signal }, 'shutting down');
    void bot.stop(15_000).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => bot.log.error({ err: String((reason as Error)?.message ?? reason) }, 'unhandled rejection'));
}

main().catch((err) => {
  process.stderr.write(`svp-ops: failed to start: ${redactSecrets((err as Error).message)}\n`);
  process.exit(1);
});
