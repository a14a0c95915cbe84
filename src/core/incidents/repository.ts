/** Incidents in the store: the record (kind 'incident') and its event stream, folded. */
import { randomInt } from 'node:crypto';
import { ConflictError, updateRecord, type Store } from '../../store/store.js';
import { foldIncident } from './fold.js';
import { INCIDENT_KIND, streamOf, type Incident, type IncidentEvent, type IncidentState } from './model.js';

const PAGE = 500;
/** No 0/O or 1/I, so an id read aloud or retyped stays right. */
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const INCIDENT_ID = /^INC-[A-Z0-9]{4}$/;

export async function createIncident(store: Store, draft: Omit<Incident, 'id'>): Promise<Incident> {
  for (;;) {
    const id = `INC-${Array.from({ length: 4 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
    const incident = { id, ...draft };
    try {
      await store.put(INCIDENT_KIND, id, incident, { expectedVersion: 0 });
      return incident;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // the id is taken: draw another
    }
  }
}

async function allEvents(store: Store, id: string): Promise<{ seq: number; data: IncidentEvent }[]> {
  const events: { seq: number; data: IncidentEvent }[] = [];
  for (;;) {
    const page = await store.events<IncidentEvent>(streamOf(id), { limit: PAGE, afterSeq: events.at(-1)?.seq ?? 0 });
    events.push(...page);
    if (page.length < PAGE) return events;
  }
}

export async function loadIncident(store: Store, id: string): Promise<IncidentState | undefined> {
  const record = await store.get<Incident>(INCIDENT_KIND, id);
  return record && foldIncident(record.data, await allEvents(store, id));
}

export async function appendEvent(store: Store, id: string, event: IncidentEvent): Promise<void> {
  await store.append(streamOf(id), event);
}

/** The seq of the newest event, to tell whether a folded state is still current. */
export async function latestSeq(store: Store, id: string): Promise<number> {
  const [newest] = await store.events(streamOf(id), { limit: 1, newestFirst: true });
  return newest?.seq ?? 0;
}

/** Incidents still live: open, or resolved with the post-mortem not yet done. Newest first. */
export async function liveIncidents(store: Store): Promise<IncidentState[]> {
  const records = await store.list<Incident>(INCIDENT_KIND, { activeOnly: true, limit: 200 });
  const states = await Promise.all(records.map(async (r) => foldIncident(r.data, await allEvents(store, r.data.id))));
  return states.sort((a, b) => b.incident.declaredAt - a.incident.declaredAt);
}

/** Every incident record, live or not, for finding one by where it is discussed. */
export async function allIncidentRecords(store: Store): Promise<Incident[]> {
  return (await store.list<Incident>(INCIDENT_KIND, { limit: 500 })).map((r) => r.data);
}

/** Saves a changed record; `live: false` once the post-mortem is done. */
export async function saveIncident(store: Store, incident: Incident, live: boolean): Promise<void> {
  await updateRecord<Incident>(store, INCIDENT_KIND, incident.id, (current) => ({ data: { ...current, ...incident }, active: live }));
}
