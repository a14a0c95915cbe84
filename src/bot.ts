/**
 * Builds the bot from a Config: store → clients → services → dispatcher → surface.
 * src/main.ts calls it with the environment; tests call it with their own config.
 */
import type { DestinationStream } from 'pino';
import { secretsOf, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { createTelemetry } from './telemetry.js';
import { openStore } from './store/index.js';
import { SvpClient } from './svp/client.js';
import type { BreakerOptions } from './svp/breakers.js';
import { Roles } from './app/roles.js';
import { Audit } from './app/audit.js';
import { Confirmations } from './app/confirmations.js';
import { RateLimiter } from './app/rate-limit.js';
import { Dispatcher } from './app/dispatcher.js';
import type { Clock, Services } from './app/services.js';
import type { Poster } from './app/command.js';
import { commands } from '../commands/index.js';
import { actions } from './interactions/index.js';
import { startSlackApp, type SlackApp } from './slack/app.js';
import { InFlight } from './slack/inflight.js';
import { SlackSurface } from './slack/surface.js';
import { Scheduler } from './schedule/scheduler.js';
import { registerHousekeeping, registerInterruptedSteps } from './schedule/housekeeping.js';
import { BoundPoster } from './app/poster.js';
import { AlertMonitor } from './core/alerts/monitor.js';
import { loadRules } from './core/alerts/rules.js';
import { registerChannelJobs } from './schedule/channel-jobs.js';
import { JobFollower, SWEEP_MS } from './core/jobs.js';
import { jobMessage } from './views/ops.js';
import { Incidents } from './core/incidents/service.js';
import { loadRunbooks } from './core/runbooks/loader.js';
import { RunbookService } from './core/runbooks/service.js';
import { groqOptions } from './llm/groq.js';
import { refreshRunMessages, wireRunbooks } from './interactions/runbook.js';
import { incidentViews } from './views/incident.js';
import { registerIncidentForms } from './slack/listeners/views.js';
import { homeListener } from './slack/listeners/home.js';
import { AppHome, HOME_REFRESH_MS } from './slack/app-home.js';
import { SlackIncidentRooms } from './slack/channels.js';

export interface BotOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  listen?: { host?: string; port?: number };
  /** Overrides the SVP target (the console's simulator). */
  svpApiUrl?: string;
  svpFrontendUrl?: string;
  /** Circuit breaking per SVP area; tests that don't test it turn it off (threshold 0). */
  breaker?: BreakerOptions;
}

export interface Bot {
  services: Services;
  dispatcher: Dispatcher;
  slack?: SlackApp;
  inflight: InFlight;
  log: Logger;
  /** Base URL of the HTTP server in HTTP mode. */
  url?: string;
  /** Binds the bot's own posts to a surface (the console binds itself). */
  bindPoster(target: Poster): void;
  /** Starts cron and interval jobs (not in tests that drive ticks by hand). */
  startSchedules(): void;
  /** Stops taking work, finishes what is in flight (up to deadlineMs), closes everything. */
  stop(deadlineMs?: number): Promise<void>;
}

export async function createBot(config: Config, opts: BotOptions = {}): Promise<Bot> {
  const log = createLogger({ level: config.LOG_LEVEL, secrets: secretsOf(config), destination: opts.logDestination });
  const clock = opts.clock ?? { now: () => Date.now() };
  // A bad rules file stops start-up before anything is opened.
  const alertRules = loadRules(config.SVP_ALERT_RULES);
  const runbooks = loadRunbooks();
  const telemetry = createTelemetry();
  const store = await openStore(config.DATABASE_URL, log);
  const svp = new SvpClient({
    apiUrl: opts.svpApiUrl ?? config.svpApiUrl,
    frontendUrl: opts.svpFrontendUrl ?? config.svpFrontendUrl,
    timeoutMs: config.SVP_TIMEOUT_MS,
    observe: (endpoint, outcome, ms) => telemetry.svpCall(endpoint, outcome, ms),
    breaker: opts.breaker,
  });
  const now = () => clock.now();
  const poster = new BoundPoster(log);
  const audit = new Audit(store, now);
  const services: Services = {
    config,
    log,
    clock,
    svp,
    store,
    telemetry,
    roles: new Roles({ operators: config.SVP_OPERATORS, admins: config.SVP_ADMINS }, now),
    audit,
    confirmations: new Confirmations(store, { twoPerson: config.SVP_TWO_PERSON, now }),
    rateLimiter: new RateLimiter(store, now),
    scheduler: new Scheduler(store, clock, log),
    jobs: new JobFollower({ store, svp, poster, log, render: jobMessage, now }),
    alerts: new AlertMonitor(alertRules, { store, svp, log }),
    incidents: new Incidents({ store, clock, config, poster, audit, log, views: incidentViews, groq: groqOptions(config) }),
    runbooks: new RunbookService({ store, svp, clock, log, runbooks, groq: groqOptions(config) }),
    poster,
    commands,
  };
  const dispatcher = new Dispatcher(services, commands, actions);
  services.scheduler.every('jobs', SWEEP_MS, (at) => services.jobs.sweep(at));
  services.scheduler.every('incident-timers', 30_000, (at) => services.incidents.sweep(at));
  registerHousekeeping(services.scheduler, store, log);
  wireRunbooks(services, dispatcher);
  if (config.SVP_DIGEST_CHANNEL) registerChannelJobs(services, config.SVP_DIGEST_CHANNEL);
  services.confirmations.register('command', async (ctx, target) => {
    const command = dispatcher.find(String(target.name));
    if (!command) throw new Error(`unknown command ${String(target.name)}`);
    return dispatcher.execute(ctx, command, command.args.parse(String(target.args ?? '')));
  });
  registerInterruptedSteps(services);

  const inflight = new InFlight();
  const home = new AppHome(services);
  let slack: SlackApp | undefined;
  if (config.mode !== 'console') {
    slack = await startSlackApp({
      config,
      telemetry,
      roles: services.roles,
      dispatcher,
      inflight,
      log,
      listen: opts.listen,
      openCircuits: () => svp.breakers.openAreas(),
      register: [registerIncidentForms, homeListener(home, log)],
      ready: async () => {
        try {
          await store.get('snapshot', 'readiness-probe');
          return true;
        } catch {
          return false;
        }
      },
    });
  }
  if (slack) poster.bind(new SlackSurface(slack.app.client, { channelId: '', userId: '' }, undefined, log));
  if (slack) services.incidents.bindRooms(new SlackIncidentRooms(slack.app.client));
  if (slack) {
    const { client } = slack.app;
    services.scheduler.every('app-home', HOME_REFRESH_MS, (at) => home.refresh(at, client));
  }
  // A crash may have come between recording an incident change and showing it.
  if (slack) void services.incidents.refreshAll().catch((err: Error) => log.warn({ err: err.message }, 'could not refresh incident messages'));
  if (slack) void refreshRunMessages(services).catch((err: Error) => log.warn({ err: err.message }, 'could not refresh runbook run messages'));
  const address = slack?.server?.address();
  const url = address && typeof address === 'object' ? `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}` : undefined;
  log.info({ mode: config.mode, svp: svp.target, store: store.kind, url }, 'svp-ops started');

  let stopped = false;
  return {
    services,
    dispatcher,
    slack,
    inflight,
    log,
    url,
    bindPoster: (target) => poster.bind(target),
    startSchedules: () => services.scheduler.start(),
    async stop(deadlineMs = 10_000) {
      if (stopped) return;
      stopped = true;
      services.scheduler.stop();
      // Refuse new work first, then let acknowledged work and running ticks finish before closing.
      slack?.server?.close();
      const [drained, ticksDone] = await Promise.all([inflight.drain(deadlineMs), services.scheduler.drain(deadlineMs)]);
      if (!drained || !ticksDone) log.warn({ inFlight: inflight.size }, 'stopping with work still in flight');
      await slack?.stop().catch(() => undefined);
      await svp.close();
      await store.close();
      log.info('svp-ops stopped');
      log.flush?.();
    },
  };
}
