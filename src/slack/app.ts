/**
 * Bolt wiring: HTTP mode (POST /slack/events, GET /healthz, GET /metrics) or Socket Mode.
 * Listeners are grouped by kind and registered here, in one place.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Config } from '../config.js';
import { boltLogger } from './logger.js';
import type { Telemetry } from '../telemetry.js';
import type { Roles } from '../app/roles.js';
import { registerCommands } from './listeners/commands.js';
import { registerActions } from './listeners/actions.js';
import type { SlackDeps } from './deps.js';
import { createGuardedServer } from './http-server.js';

export interface SlackApp {
  app: InstanceType<typeof App>;
  /** HTTP mode: the listening server. */
  server?: Server;
  stop(): Promise<void>;
}

export interface SlackAppOptions extends SlackDeps {
  config: Config;
  telemetry: Telemetry;
  roles: Roles;
  /** Readiness beyond liveness: the store answers. */
  ready: () => Promise<boolean>;
  /** SVP areas whose circuit breaker is open, shown on /healthz. */
  openCircuits: () => string[];
  /** Listen address; tests pass 127.0.0.1 and port 0. */
  listen?: { host?: string; port?: number };
  /** Extra listener groups (features register their own). */
  register?: Array<(app: InstanceType<typeof App>, deps: SlackDeps) => void>;
}

export async function startSlackApp(opts: SlackAppOptions): Promise<SlackApp> {
  const { config, log } = opts;
  const logger = boltLogger(log);
  // Retries honour Retry-After on 429; a Slack outage gives up after about 2 s rather than
  // holding a reply (and a graceful shutdown) for the client's default half hour.
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger,
    logLevel: LogLevel.WARN,
    retryConfig: { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 2000 },
  };
  // No conversation store: nothing here uses it, and its lookup fails (an Error) on every delivery.
  const appOptions = { token: config.SLACK_BOT_TOKEN, logger, clientOptions, convoStore: false as const };
  let app: InstanceType<typeof App>;
  let receiver: InstanceType<typeof HTTPReceiver> | undefined;
  if (config.mode === 'socket') {
    // The Socket Mode client opens its connection through its own Web API client, which
    // takes its options (SLACK_API_URL) from installerOptions, not from clientOptions.
    app = new App({ ...appOptions, appToken: config.SLACK_APP_TOKEN, socketMode: true, installerOptions: { clientOptions } });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET!,
      endpoints: '/slack/events',
      logger,
      processBeforeResponse: false,
      // What no listener handles gets its 404 within a second rather than Bolt's 3.
      unhandledRequestTimeoutMillis: 1000,
      // A signed payload Bolt cannot even route (e.g. `actions` that is not a list) is the
      // sender's fault: 400, not the default 500 that invites Slack to retry it.
      processEventErrorHandler: async ({ error, response, logger: boltLog }) => {
        if (response.headersSent) return false;
        const authorization = (error as { code?: string }).code === 'slack_bolt_authorization_error';
        boltLog.warn(`could not process a delivery: ${error.message}`);
        response.writeHead(authorization ? 401 : 400);
        response.end();
        return true;
      },
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: (_req, res) => {
            void opts.ready().then((ok) => {
              const accepting = opts.inflight.isAccepting;
              res.writeHead(ok && accepting ? 200 : 503, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ status: ok && accepting ? 'ok' : accepting ? 'degraded' : 'stopping', store: ok ? 'ok' : 'unavailable', inFlight: opts.inflight.size, mode: config.mode, svpCircuitsOpen: opts.openCircuits() }));
            });
          },
        },
        {
          path: '/metrics',
          method: ['GET'],
          handler: (_req, res) => {
            void opts.telemetry.registry.metrics().then((body) => {
              res.writeHead(200, { 'content-type': opts.telemetry.registry.contentType });
              res.end(body);
            });
          },
        },
      ],
    });
    app = new App({ ...appOptions, receiver });
  }
  app.error(async (error) => {
    log.error({ err: error.message, code: (error as { code?: string }).code }, 'bolt error');
  });
  const deps: SlackDeps = { dispatcher: opts.dispatcher, inflight: opts.inflight, log };
  registerCommands(app, deps);
  registerActions(app, deps);
  for (const register of opts.register ?? []) register(app, deps);

  opts.roles.setGroupResolver(async (groupId) => {
    const result = await app.client.usergroups.users.list({ usergroup: groupId });
    return (result.users as string[] | undefined) ?? [];
  });

  let server: Server | undefined;
  if (config.mode === 'socket') await app.start();
  else {
    const http = createGuardedServer(receiver!.requestListener, (ms) => opts.telemetry.ack(ms));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.listen?.port ?? config.PORT, opts.listen?.host, () => resolve());
    });
    server = http;
  }
  return {
    app,
    server,
    async stop() {
      if (!server) {
        await app.stop();
        return;
      }
      // close() ends only the connections idle at that moment; one that was answering a
      // request would stay open for the keep-alive time. End those now, and cut what is
      // still mid-request after a second.
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server!.closeAllConnections(), 1000);
      await closed;
      clearTimeout(cut);
    },
  };
}
