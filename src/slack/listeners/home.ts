/** app_home_opened → the App Home tab, published for the user who opened it. */
import type { App } from '@slack/bolt';
import type { AppHome } from '../app-home.js';
import type { Logger } from '../../log.js';

export function homeListener(home: AppHome, log: Logger): (app: App) => void {
  return (app) => {
    app.event('app_home_opened', async ({ event, client }) => {
      if (event.tab !== 'home') return;
      try {
        await home.opened(event.user, client);
      } catch (err) {
        log.error({ err: (err as Error).message, user: event.user }, 'could not publish the App Home');
      }
    });
  };
}
