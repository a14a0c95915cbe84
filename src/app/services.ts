/** Everything a command or handler may use, built once in src/main.ts. */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SvpClient } from '../svp/client.js';
import type { Store } from '../store/store.js';
import type { Telemetry } from '../telemetry.js';
import type { Roles } from './roles.js';
import type { Audit } from './audit.js';
import type { Confirmations } from './confirmations.js';
import type { RateLimiter } from './rate-limit.js';
import type { CommandDef, Poster } from './command.js';
import type { Scheduler } from '../schedule/scheduler.js';
import type { JobFollower } from '../core/jobs.js';
import type { AlertMonitor } from '../core/alerts/monitor.js';
import type { Incidents } from '../core/incidents/service.js';
import type { RunbookService } from '../core/runbooks/service.js';

export interface Clock {
  now(): number;
}

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  svp: SvpClient;
  store: Store;
  telemetry: Telemetry;
  roles: Roles;
  audit: Audit;
  confirmations: Confirmations;
  rateLimiter: RateLimiter;
  scheduler: Scheduler;
  /** Long SVP jobs followed in one message each until they end. */
  jobs: JobFollower;
  /** The alert rules, their state in the store, and silences. */
  alerts: AlertMonitor;
  /** Declared incidents: their message, checklist, timeline and timers. */
  incidents: Incidents;
  /** The runbooks of runbooks/*.yml, their runs, and free-text triage. */
  runbooks: RunbookService;
  /** Posts into channels on the bot's own initiative; bound to Slack or the console at start. */
  poster: Poster;
  /** The registered commands, for help and triage. */
  commands: readonly CommandDef<any>[];
}
