/**
 * The bot's scheduled posts into SVP_DIGEST_CHANNEL: the daily digest, the weekly
 * maintenance and the alert evaluations. The scheduler claims each tick, so each runs
 * once however many replicas run; alert notices are claimed once more per transition.
 */
import type { Services } from '../app/services.js';
import { assembleDigest } from '../core/digest.js';
import { newRun, runWeeklyMaintenance } from '../core/maintenance.js';
import { digestMessage } from '../views/digest.js';
import { maintenanceMessage } from '../views/maintenance.js';
import { alertNoticeMessage } from '../views/alerts.js';

export function registerChannelJobs(services: Services, channelId: string): void {
  const { scheduler, config } = services;
  scheduler.cron('digest', config.SVP_DIGEST_CRON, config.SVP_TZ, (at) => postDigest(services, channelId, at));
  scheduler.cron('maintenance', config.SVP_MAINTENANCE_CRON, config.SVP_TZ, (at) => postMaintenance(services, channelId, at));
  scheduler.every('alerts', config.SVP_ALERT_INTERVAL_S * 1000, (at) => postAlertNotices(services, channelId, at));
}

async function postDigest(services: Services, channelId: string, at: number): Promise<void> {
  await services.poster.post(digestMessage(await assembleDigest(services, at)), { channelId });
}

async function postMaintenance(services: Services, channelId: string, at: number): Promise<void> {
  const { poster, config, clock } = services;
  const started = newRun(at, config.SVP_TZ);
  const message = await poster.post(maintenanceMessage(started), { channelId });
  const run = await runWeeklyMaintenance(services, { ...started, message }, () => clock.now());
  await poster.update(message, maintenanceMessage(run));
}

async function postAlertNotices(services: Services, channelId: string, at: number): Promise<void> {
  const { alerts, poster, config } = services;
  for (const notice of await alerts.evaluate(at)) {
    const reminder = notice.kind === 'reminder' && notice.state.message;
    try {
      const ref = await poster.post(alertNoticeMessage(notice, config.SVP_ONCALL, at), { channelId, threadTs: reminder ? notice.state.message!.ts : undefined });
      await alerts.posted(notice, ref.ts ? ref : undefined);
    } catch (err) {
      // Left unposted in the store: a tick a minute on posts it once more.
      services.log.warn({ rule: notice.rule.name, kind: notice.kind, err: (err as Error).message }, 'could not post an alert notice');
    }
  }
}
