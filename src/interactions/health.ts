/** "Run again" on a health report. */
import { defineAction } from '../app/command.js';
import { checkAndRememberHealth } from '../core/health.js';
import { healthMessage } from '../views/health.js';

export const rerunHealthAction = defineAction({
  id: 'health.rerun',
  effect: 'read',
  async run({ services }) {
    return healthMessage(await checkAndRememberHealth(services.svp, services.store, () => new Date(services.clock.now())));
  },
});
