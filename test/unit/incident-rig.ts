/** An Incidents service on a real SQLite store with a fake clock and a poster that records. */
import { Writable } from 'node:stream';
import type { MessageRef, Poster } from '../../src/app/command.js';
import { Audit } from '../../src/app/audit.js';
import type { Message } from '../../src/core/message.js';
import { Incidents, type IncidentDeps } from '../../src/core/incidents/service.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { createLogger } from '../../src/log.js';
import { incidentViews } from '../../src/views/incident.js';
import { FakeClock, tempDatabase } from '../harness/support.js';

export class RecordingPoster implements Poster {
  readonly posts: { message: Message; channelId?: string; threadTs?: string; ref: MessageRef }[] = [];
  readonly updates: { ref: MessageRef; message: Message }[] = [];
  private seq = 0;

  async post(message: Message, opts: { channelId?: string; threadTs?: string } = {}): Promise<MessageRef> {
    const ref = { channelId: opts.channelId ?? 'CDEFAULT1', ts: `1700000000.${String(++this.seq).padStart(6, '0')}` };
    this.posts.push({ message, ...opts, ref });
    return ref;
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    this.updates.push({ ref, message });
  }

  /** Texts posted in a thread. */
  threadTexts(threadTs: string): string[] {
    return this.posts.filter((p) => p.threadTs === threadTs).map((p) => p.message.text);
  }
}

export type RigConfig = IncidentDeps['config'];

export const baseConfig: RigConfig = {
  SVP_INCIDENT_CHANNELS: false,
  SVP_ONCALL: ['UONCALL1'],
  SVP_ESCALATION_LEAD: ['ULEAD001'],
  SVP_ESCALATION_MANAGER: ['UMGR0001'],
};

export interface Rig {
  incidents: Incidents;
  poster: RecordingPoster;
  clock: FakeClock;
  store: Store;
  audit: Audit;
  /** Another replica on the same database. */
  replica(): Promise<Rig>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_c, _e, done) => done() });

export async function startRig(config: Partial<RigConfig> = {}, path = tempDatabase(), clock = new FakeClock()): Promise<Rig> {
  const store = await openStore(path);
  const poster = new RecordingPoster();
  const audit = new Audit(store, () => clock.now());
  const incidents = new Incidents({ store, clock, config: { ...baseConfig, ...config }, poster, audit, log: createLogger({ level: 'silent', secrets: [], destination: silent }), views: incidentViews });
  return { incidents, poster, clock, store, audit, replica: () => startRig(config, path, clock), close: () => store.close() };
}
