import type { Dispatcher } from '../app/dispatcher.js';
import type { Logger } from '../log.js';
import type { InFlight } from './inflight.js';

/** What the Slack listeners need from the rest of the app. */
export interface SlackDeps {
  dispatcher: Dispatcher;
  inflight: InFlight;
  log: Logger;
}
