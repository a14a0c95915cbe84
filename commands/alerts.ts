import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { alertsMessage } from '../src/views/alerts.js';

export default defineCommand({
  name: 'alerts',
  usage: 'alerts',
  summary: 'The alert rules of the runbook (Monitoring & Alerts): each one’s state and current value',
  examples: ['/svp alerts'],
  args: noArgs,
  effect: 'read',
  async run({ services }) {
    const { alerts, config, clock } = services;
    const rows = await alerts.status(await alerts.read());
    const schedule = config.SVP_DIGEST_CHANNEL
      ? `Evaluated every ${config.SVP_ALERT_INTERVAL_S} s; notices go to <#${config.SVP_DIGEST_CHANNEL}>`
      : 'Scheduled evaluation is off: set SVP_DIGEST_CHANNEL';
    return alertsMessage(rows, clock.now(), schedule);
  },
});
