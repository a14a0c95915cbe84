/**
 * The App Home tab, kept current. It is published when a person opens it, and again each
 * minute for everyone who opened it in the last 12 hours, whenever what it shows has
 * changed: an incident declared or resolved, its age against the target, an alert, the
 * last health check. Whoever keeps the tab open at 3 a.m. sees what is true now.
 */
import { createHash } from 'node:crypto';
import type { App, types } from '@slack/bolt';
import type { Services } from '../app/services.js';
import { updateRecord } from '../store/store.js';
import type { AlertState } from '../core/alerts/state.js';
import { homeMessage, type StoredHealthReport } from '../views/home.js';
import { renderBlocks } from './render.js';

type WebClient = InstanceType<typeof App>['client'];

export const HOME_REFRESH_MS = 60_000;
const VIEWER_KIND = 'home-viewer';
const VIEWER_TTL_MS = 12 * 60 * 60_000;
/** views.publish is Tier 4 (100+ a minute): one refresh stays within a minute's budget. */
const MAX_VIEWERS = 100;

interface Viewer {
  userId: string;
  openedAt: number;
  /** What they were last shown, so only those behind are sent the tab again. */
  digest?: string;
}

const digestOf = (blocks: types.KnownBlock[]) => createHash('sha256').update(JSON.stringify(blocks)).digest('hex');

export class AppHome {
  constructor(private readonly services: Pick<Services, 'store' | 'incidents' | 'clock' | 'log'>) {}

  /** app_home_opened: remember the viewer and show them the tab as it is now. */
  async opened(userId: string, client: WebClient): Promise<void> {
    const now = this.services.clock.now();
    const blocks = await this.blocks(now);
    await this.services.store.put<Viewer>(VIEWER_KIND, userId, { userId, openedAt: now });
    await this.publish(client, userId, blocks, digestOf(blocks));
  }

  /**
   * One refresh tick: the tab again for each recent viewer not shown it as it is now. A
   * viewer whose publish failed is tried again next tick, without resending to the rest.
   */
  async refresh(at: number, client: WebClient): Promise<void> {
    const blocks = await this.blocks(at);
    const digest = digestOf(blocks);
    // Listed by last change, which a publish also makes: choose by when they opened it.
    const recent = (await this.services.store.list<Viewer>(VIEWER_KIND, { limit: 1000 }))
      .map((r) => r.data)
      .filter((v) => at - v.openedAt < VIEWER_TTL_MS)
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, MAX_VIEWERS);
    for (const viewer of recent) {
      if (viewer.digest !== digest) await this.publish(client, viewer.userId, blocks, digest);
    }
  }

  private async blocks(now: number): Promise<types.KnownBlock[]> {
    const { store, incidents } = this.services;
    const [live, health, alerts] = await Promise.all([
      incidents.live(),
      store.get<StoredHealthReport>('snapshot', 'last-health'),
      store.list<AlertState>('alert-state', { activeOnly: true }),
    ]);
    const message = homeMessage({ incidents: live, health: health?.data, alerts: alerts.map((r) => r.data), now });
    // Our renderer types blocks loosely; they are valid Block Kit.
    return renderBlocks(message).blocks as unknown as types.KnownBlock[];
  }

  private async publish(client: WebClient, userId: string, blocks: types.KnownBlock[], digest: string): Promise<void> {
    try {
      await client.views.publish({ user_id: userId, view: { type: 'home', blocks } });
      await updateRecord<Viewer>(this.services.store, VIEWER_KIND, userId, (current) => ({ data: { userId, openedAt: current?.openedAt ?? 0, digest } }));
    } catch (err) {
      this.services.log.error({ err: (err as Error).message, user: userId }, 'could not publish the App Home');
    }
  }

}
