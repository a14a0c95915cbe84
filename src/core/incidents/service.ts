/**
 * Runs incidents: declares them, records every change as an event, keeps the one incident
 * message current, posts in its thread and fires its timers. Rendering is injected
 * (src/views/incident.ts) and so is channel creation (Slack only), so this stays free of
 * Block Kit and Bolt.
 */
import type { Poster } from '../../app/command.js';
import type { Audit } from '../../app/audit.js';
import type { Clock } from '../../app/services.js';
import type { Config } from '../../config.js';
import { OpsError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import type { Message } from '../message.js';
import { Coalescer } from './coalesce.js';
import { foldIncident } from './fold.js';
import type { Incident, IncidentState, Severity, ThreadEvent } from './model.js';
import { auditDuring, postmortemMarkdown } from './postmortem.js';
import { allIncidentRecords, appendEvent, createIncident, latestSeq, liveIncidents, loadIncident, saveIncident } from './repository.js';
import { summarize } from './summary.js';
import type { GroqOptions } from '../../llm/groq.js';
import { dueTimers, type DueTimer } from './timers.js';

/** Who the Escalation Path names (Slack user or user-group ids). */
export interface Contacts {
  oncall: readonly string[];
  lead: readonly string[];
  manager: readonly string[];
}

export interface IncidentViews {
  incident(state: IncidentState, now: number): Message;
  /** The thread line announcing a change. */
  change(event: ThreadEvent, state: IncidentState, now: number): Message;
  timer(timer: DueTimer, state: IncidentState, contacts: Contacts, now: number): Message;
  postmortem(state: IncidentState, markdown: string, summarySource: 'groq' | 'deterministic'): Message;
  /** Posted where it was declared when the incident got a channel of its own, or could not. */
  roomNotice(state: IncidentState, failure?: string): Message;
}

/** Creates an incident's own channel and invites people to it (Slack's conversations.*). */
export interface IncidentRooms {
  open(name: string, members: string[]): Promise<{ channelId: string; name: string }>;
}

/** Changes a person can make; the service stamps who and when. */
export type IncidentChange = DistributiveOmit<ThreadEvent, 'at' | 'by'> | { type: 'snooze'; until: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface DeclareInput {
  severity: Severity;
  title: string;
  feature?: string;
  commander?: string;
  declaredBy: string;
  channelId: string;
}

export interface IncidentDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'SVP_INCIDENT_CHANNELS' | 'SVP_ONCALL' | 'SVP_ESCALATION_LEAD' | 'SVP_ESCALATION_MANAGER'>;
  /** Writes the post-mortem summary when GROQ_API_KEY is set. */
  groq?: GroqOptions;
  poster: Poster;
  audit: Audit;
  log: Logger;
  views: IncidentViews;
}

const BOT = 'svp-ops';
/** Updates re-check the stream this many times when another replica appended meanwhile. */
const MAX_PUBLISH_PASSES = 5;

/** `inc-<yyyymmdd>-<slug>`, within Slack's 80 characters of [a-z0-9-]. */
export function roomName(incident: Incident): string {
  const date = new Date(incident.declaredAt).toISOString().slice(0, 10).replace(/-/g, '');
  const slug = incident.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `inc-${date}-${slug || incident.id.toLowerCase()}`;
}

export class Incidents {
  private rooms?: IncidentRooms;
  private readonly refresher = new Coalescer((id) => this.publish(id));

  constructor(private readonly deps: IncidentDeps) {}

  bindRooms(rooms: IncidentRooms): void {
    this.rooms = rooms;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  async declare(input: DeclareInput): Promise<IncidentState> {
    const { store, poster, config, views, log } = this.deps;
    const incident = await createIncident(store, { ...input, declaredAt: this.now() });
    let failure: string | undefined;
    if (config.SVP_INCIDENT_CHANNELS) {
      try {
        if (!this.rooms) throw new Error('incident channels need Slack');
        incident.room = await this.rooms.open(roomName(incident), [...new Set([input.declaredBy, input.commander ?? input.declaredBy])]);
      } catch (err) {
        failure = (err as Error).message;
        log.warn({ incident: incident.id, err: failure }, 'could not open the incident channel; posting where it was declared');
      }
    }
    try {
      incident.message = await poster.post(views.incident(foldIncident(incident, []), this.now()), { channelId: incident.room?.channelId ?? input.channelId });
    } catch (err) {
      // Without its message nobody can run it: retire the record rather than leave a ghost.
      await saveIncident(store, incident, false);
      throw new OpsError('upstream', `Could not post the incident message (${(err as Error).message}). Invite the bot to this channel, or declare it from one the bot is in.`, { cause: err });
    }
    await saveIncident(store, incident, true);
    const state = foldIncident(incident, []);
    if (incident.room || failure) await poster.post(views.roomNotice(state, failure), { channelId: input.channelId });
    return state;
  }

  load(id: string): Promise<IncidentState | undefined> {
    return loadIncident(this.deps.store, id);
  }

  live(): Promise<IncidentState[]> {
    return liveIncidents(this.deps.store);
  }

  /**
   * The incident a command means: the id given, else the one whose thread or own channel
   * it was typed in, else the only open incident posted in that channel.
   */
  async locate(where: { id?: string; channelId: string; threadTs?: string }): Promise<IncidentState> {
    const id = where.id ?? (await this.idFor(where.channelId, where.threadTs));
    if (!id) throw new OpsError('not_found', 'Which incident? Run this in its thread or channel, or give its id first, e.g. `/svp incident status INC-7K2Q investigating`.');
    return this.get(id);
  }

  private async get(id: string): Promise<IncidentState> {
    const state = await this.load(id.toUpperCase());
    if (!state) throw new OpsError('not_found', `No incident ${id} was found. \`/svp incident list\` shows the open ones.`);
    return state;
  }

  private async idFor(channelId: string, threadTs?: string): Promise<string | undefined> {
    const records = await allIncidentRecords(this.deps.store);
    const direct = records.find((i) => (threadTs && i.message?.ts === threadTs && i.message.channelId === channelId) || i.room?.channelId === channelId);
    if (direct) return direct.id;
    const here = (await this.live()).filter((s) => !s.resolved && s.incident.message?.channelId === channelId);
    if (here.length > 1) throw new OpsError('usage', `${here.length} incidents are open in this channel (${here.map((s) => s.incident.id).join(', ')}): give the id first, e.g. \`/svp incident status ${here[0]!.incident.id} …\`.`);
    return here[0]?.incident.id;
  }

  /** Brings every live incident's message up to date: after a crash between recording a change and showing it. */
  async refreshAll(): Promise<void> {
    for (const state of await this.live()) await this.refresher.run(state.incident.id);
  }

  /** Records ticks and unticks, then brings the message up to date. */
  async tick(id: string, by: string, changes: { item: string; done: boolean }[]): Promise<void> {
    const at = this.now();
    for (const c of changes) await appendEvent(this.deps.store, id, { type: c.done ? 'tick' : 'untick', item: c.item, by, at });
    await this.refresher.run(id);
  }

  async change(id: string, by: string, change: IncidentChange): Promise<IncidentState> {
    const { store, views } = this.deps;
    await this.check(await this.get(id), change);
    const at = this.now();
    await appendEvent(store, id, { ...change, by, at });
    const after = (await this.load(id))!;
    await this.refresher.run(id);
    if (change.type !== 'snooze') await this.postInThread(after, views.change({ ...change, by, at }, after, at));
    if (change.type === 'resolved') await this.postPostmortem(after);
    if (change.type === 'postmortem-done') await saveIncident(store, after.incident, false);
    return after;
  }

  /** Refuses changes that make no sense now; resolving and closing run once across replicas. */
  private async check(state: IncidentState, change: IncidentChange): Promise<void> {
    const { id } = state.incident;
    const needsOpen = ['severity', 'commander', 'snooze', 'resolved'].includes(change.type);
    if (needsOpen && state.resolved) throw new OpsError('conflict', `${id} was already resolved by <@${state.resolved.by}>.`);
    if (change.type === 'severity' && change.severity === state.severity) throw new OpsError('conflict', `${id} is already ${state.severity}.`);
    if (change.type === 'postmortem-done') {
      if (!state.resolved) throw new OpsError('conflict', `${id} is still open: resolve it first with \`/svp incident resolve ${id}\`.`);
      if (state.postmortemDone) throw new OpsError('conflict', `The post-mortem of ${id} was already marked done by <@${state.postmortemDone.by}>.`);
    }
    if ((change.type === 'resolved' || change.type === 'postmortem-done') && !(await this.deps.store.claim(`incident-${change.type}`, id))) {
      throw new OpsError('conflict', `Someone else just did that for ${id}; it happens once.`);
    }
  }

  private async postPostmortem(state: IncidentState): Promise<void> {
    const { audit, groq, log, views } = this.deps;
    const now = this.now();
    const summary = await summarize(state, now, groq, (err) =>
      log.warn({ incident: state.incident.id, err: (err as Error).message }, 'Groq summary failed; using the deterministic one'),
    );
    const markdown = postmortemMarkdown({ state, audit: auditDuring(state, await audit.recent(1000), now), summary: summary.text, now });
    await this.postInThread(state, views.postmortem(state, markdown, summary.source));
  }

  /** Fires the timers that are due, each once across replicas (the sweep job's body). */
  async sweep(at: number): Promise<void> {
    const { store, config, views, log } = this.deps;
    const contacts: Contacts = { oncall: config.SVP_ONCALL, lead: config.SVP_ESCALATION_LEAD, manager: config.SVP_ESCALATION_MANAGER };
    for (const state of await this.live()) {
      for (const timer of dueTimers(state, at)) {
        try {
          if (!(await store.claim('incident-timer', timer.key))) continue;
          await appendEvent(store, state.incident.id, { type: 'timer', timer: timer.kind, key: timer.key, by: BOT, at });
          await this.postInThread(state, views.timer(timer, state, contacts, at));
        } catch (err) {
          log.error({ incident: state.incident.id, timer: timer.key, err: (err as Error).message }, 'incident timer failed');
        }
      }
    }
  }

  private async postInThread(state: IncidentState, message: Message): Promise<void> {
    const ref = state.incident.message;
    await this.deps.poster.post(message, ref ? { channelId: ref.channelId, threadTs: ref.ts } : { channelId: state.incident.channelId });
  }

  /** Renders the message from the stream; again when another replica appended meanwhile. */
  private async publish(id: string): Promise<void> {
    for (let pass = 0; pass < MAX_PUBLISH_PASSES; pass++) {
      const state = await this.load(id);
      if (!state?.incident.message) return;
      await this.deps.poster.update(state.incident.message, this.deps.views.incident(state, this.now()));
      if ((await latestSeq(this.deps.store, id)) === state.seq) return;
    }
  }
}
