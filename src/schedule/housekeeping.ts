/**
 * Keeps the claims table small. Only claims that can never matter again are dropped:
 * delivery keys (Slack retries within minutes) and scheduler ticks (ticks move forward).
 * Confirmation, alert-transition and incident-timer claims stay: dropping them could let
 * a step run twice or a timer fire again.
 */
import type { Scheduler } from './scheduler.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../log.js';
import type { Services } from '../app/services.js';
import { confirmationMessage } from '../views/confirmation.js';

const DAY_MS = 24 * 60 * 60_000;

export function registerHousekeeping(scheduler: Scheduler, store: Store, log: Logger): void {
  scheduler.every('purge-claims', 6 * 60 * 60_000, async () => {
    // The store stamps claims with its own wall clock, so the cut-off uses it too.
    const cutOff = Date.now() - DAY_MS;
    const purged = (await store.purgeClaims('delivery', cutOff)) + (await store.purgeClaims('tick:*', cutOff));
    log.info({ purged }, 'old delivery and tick claims purged');
  });
}

/**
 * A destructive step whose process died while it ran has an unknown outcome. Once it has
 * been "running" far longer than any SVP call can take, it is marked interrupted (never
 * re-run) and its message says so, for whoever looks at it next.
 */
export function registerInterruptedSteps(services: Services): void {
  const staleMs = Math.max(60_000, 4 * services.config.SVP_TIMEOUT_MS);
  services.scheduler.every('interrupted-steps', 60_000, async () => {
    for (const c of await services.confirmations.markInterrupted(staleMs)) {
      services.log.warn({ confirmation: c.id, action: c.action }, 'destructive step interrupted by a restart; not re-run');
      if (c.message) await services.poster.update(c.message, confirmationMessage(c));
    }
  });
}
