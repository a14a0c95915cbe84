/**
 * Keeps the claims table small. Only claims that can never matter again are dropped:
 * delivery keys (Slack retries within minutes) and scheduler ticks (ticks move forward).
 * Confirmation, alert-transition and incident-timer claims stay: dropping them could let
 * a step run twice or a timer fire again.
 */
import type { Scheduler } from './scheduler.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../log.js';

const DAY_MS = 24 * 60 * 60_000;

export function registerHousekeeping(scheduler: Scheduler, store: Store, log: Logger): void {
  scheduler.every('purge-claims', 6 * 60 * 60_000, async () => {
    // The store stamps claims with its own wall clock, so the cut-off uses it too.
    const cutOff = Date.now() - DAY_MS;
    const purged = (await store.purgeClaims('delivery', cutOff)) + (await store.purgeClaims('tick:*', cutOff));
    log.info({ purged }, 'old delivery and tick claims purged');
  });
}
