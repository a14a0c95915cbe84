/** app_home_opened → the App Home tab, published for the user who opened it. */
import type { App, types } from '@slack/bolt';
import type { Services } from '../../app/services.js';
import type { AlertState } from '../../core/alerts/state.js';
import { homeMessage, type StoredHealthReport } from '../../views/home.js';
import { renderBlocks } from '../render.js';

export function homeListener(services: Services): (app: App) => void {
  return (app) => {
    app.event('app_home_opened', async ({ event, client }) => {
      if (event.tab !== 'home') return;
      const { store, incidents, clock, log } = services;
      try {
        const [live, health, alerts] = await Promise.all([
          incidents.live(),
          store.get<StoredHealthReport>('snapshot', 'last-health'),
          store.list<AlertState>('alert-state', { activeOnly: true }),
        ]);
        const message = homeMessage({ incidents: live, health: health?.data, alerts: alerts.map((r) => r.data), now: clock.now() });
        // Our renderer types blocks loosely; they are valid Block Kit.
        const blocks = renderBlocks(message).blocks as unknown as types.KnownBlock[];
        await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
      } catch (err) {
        log.error({ err: (err as Error).message, user: event.user }, 'could not publish the App Home');
      }
    });
  };
}
