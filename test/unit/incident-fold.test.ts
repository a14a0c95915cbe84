import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldIncident } from '../../src/core/incidents/fold.js';
import { CHECKLIST, CHECKLIST_ITEMS, type Incident, type IncidentEvent } from '../../src/core/incidents/model.js';
import { checklistBlockId, readChecklistBlockId } from '../../src/views/incident.js';
import { declareArgs, userMention, withIncident } from '../../src/core/incidents/args.js';
import { text } from '../../src/app/args.js';
import { roomName } from '../../src/core/incidents/service.js';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const incident: Incident = { id: 'INC-AB12', title: 'AI queries failing', severity: 'P1', declaredBy: 'UDECL001', declaredAt: T0, channelId: 'COPS0001' };
const events = (list: IncidentEvent[]) => list.map((data, i) => ({ seq: i + 1, data }));

describe('foldIncident', () => {
  it('starts from the declaration', () => {
    const state = foldIncident(incident, []);
    expect(state.severity).toBe('P1');
    expect(state.checks).toEqual({});
    expect(state.firstResponseAt).toBeUndefined();
    expect(state.seq).toBe(0);
  });

  it('counts two ticks recorded at the same moment, and keeps who and when', () => {
    const state = foldIncident(incident, events([
      { type: 'tick', item: 's1.1', by: 'UA', at: T0 + 1000 },
      { type: 'tick', item: 's1.2', by: 'UB', at: T0 + 1000 },
    ]));
    expect(state.checks['s1.1']).toEqual({ done: true, by: 'UA', at: T0 + 1000 });
    expect(state.checks['s1.2']).toEqual({ done: true, by: 'UB', at: T0 + 1000 });
    expect(state.firstResponseAt).toBe(T0 + 1000);
    expect(state.seq).toBe(2);
  });

  it('records unticks, and a second tick of a done item keeps the first ticker', () => {
    const state = foldIncident(incident, events([
      { type: 'tick', item: 's2.1', by: 'UA', at: T0 + 1 },
      { type: 'tick', item: 's2.1', by: 'UB', at: T0 + 2 },
      { type: 'tick', item: 's3.1', by: 'UA', at: T0 + 3 },
      { type: 'untick', item: 's3.1', by: 'UC', at: T0 + 4 },
    ]));
    expect(state.checks['s2.1']).toEqual({ done: true, by: 'UA', at: T0 + 1 });
    expect(state.checks['s3.1']).toEqual({ done: false, by: 'UC', at: T0 + 4 });
    expect(state.timeline).toHaveLength(4);
  });

  it('applies severity, commander, status, snooze, resolution and fired timers', () => {
    const state = foldIncident(incident, events([
      { type: 'severity', severity: 'P0', by: 'UA', at: T0 + 1 },
      { type: 'commander', commander: 'UCMD0001', by: 'UA', at: T0 + 2 },
      { type: 'status', text: 'rolling back', by: 'UB', at: T0 + 3 },
      { type: 'snooze', until: T0 + 90 * 60_000, by: 'UB', at: T0 + 4 },
      { type: 'snooze', until: T0 + 60 * 60_000, by: 'UB', at: T0 + 5 },
      { type: 'timer', timer: 'nudge', key: 'INC-AB12:nudge:1', by: 'svp-ops', at: T0 + 6 },
      { type: 'resolved', by: 'UC', at: T0 + 7 },
      { type: 'resolved', by: 'UD', at: T0 + 8 },
    ]));
    expect(state.severity).toBe('P0');
    expect(state.commander).toBe('UCMD0001');
    expect(state.lastStatus).toEqual({ text: 'rolling back', by: 'UB', at: T0 + 3 });
    expect(state.firstResponseAt).toBe(T0 + 3);
    expect(state.snoozedUntil).toBe(T0 + 90 * 60_000);
    expect(state.fired).toEqual(['INC-AB12:nudge:1']);
    expect(state.lastNudgeAt).toBe(T0 + 6);
    expect(state.resolved).toEqual({ by: 'UC', at: T0 + 7 });
  });

  it('a box is ticked exactly when the last event about it is a tick, whatever the interleaving', () => {
    const item = fc.constantFrom(...CHECKLIST_ITEMS.map((i) => i.id));
    const event = fc.record({ type: fc.constantFrom('tick' as const, 'untick' as const), item, by: fc.constantFrom('UA', 'UB', 'UC') });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (list) => {
        const state = foldIncident(incident, events(list.map((e, i) => ({ ...e, at: T0 + i }))));
        for (const { id } of CHECKLIST_ITEMS) {
          const last = list.filter((e) => e.item === id).at(-1);
          expect(state.checks[id]?.done ?? false).toBe(last?.type === 'tick');
        }
      }),
    );
  });
});

describe('checklist block ids', () => {
  it('read a click as the boxes its reader changed, not what others changed meanwhile', () => {
    // The reader saw step 1 with nothing ticked; someone else ticked s1.1 since.
    const seen = foldIncident(incident, []);
    const blockId = checklistBlockId(seen, 1);
    expect(blockId).toBe('INC-AB12/s1/0000');
    const read = readChecklistBlockId(blockId)!;
    expect(read.incidentId).toBe('INC-AB12');
    // Their client sends only their own selection: s1.3.
    expect(read.changes(['s1.3'])).toEqual([{ item: 's1.3', done: true }]);
  });

  it('reads an untick', () => {
    const state = foldIncident(incident, events([{ type: 'tick', item: 's4.2', by: 'UA', at: T0 }]));
    const read = readChecklistBlockId(checklistBlockId(state, 4))!;
    expect(read.changes([])).toEqual([{ item: 's4.2', done: false }]);
  });

  it('rejects block ids that do not match a step', () => {
    expect(readChecklistBlockId('INC-AB12/s7/0000')).toBeUndefined();
    expect(readChecklistBlockId('INC-AB12/s1/00')).toBeUndefined();
    expect(readChecklistBlockId('b3')).toBeUndefined();
  });

  it('every step fits one Block Kit checkbox group', () => {
    for (const step of CHECKLIST) expect(step.items.length).toBeLessThanOrEqual(10);
    expect(CHECKLIST).toHaveLength(6);
  });
});

describe('incident arguments', () => {
  it('declare: severity and title, or nothing for the form', () => {
    expect(declareArgs.parse('p1 AI queries failing')).toEqual({ severity: 'P1', title: 'AI queries failing' });
    expect(declareArgs.parse('  ')).toEqual({ form: true });
  });

  it('declare: an invalid severity names P0 to P3', () => {
    const result = declareArgs.safeParse('P5 something');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/P0, P1, P2 or P3/);
    expect(declareArgs.safeParse('P2').error?.issues[0]?.message).toMatch(/title/);
  });

  it('an optional incident id comes first', () => {
    const status = withIncident(text('a status update'));
    expect(status.parse('inc-ab12 rolled back')).toEqual({ id: 'INC-AB12', args: 'rolled back' });
    expect(status.parse('rolled back')).toEqual({ id: undefined, args: 'rolled back' });
    expect(status.safeParse('INC-AB12').error?.issues[0]?.message).toMatch(/expected a status update/);
  });

  it('a commander is a mention', () => {
    expect(userMention.parse('<@UCMD0001|carol>')).toBe('UCMD0001');
    expect(userMention.parse('UCMD0001')).toBe('UCMD0001');
    expect(userMention.safeParse('carol').success).toBe(false);
  });

  it('room names follow inc-<yyyymmdd>-<slug> within Slack’s rules', () => {
    expect(roomName({ ...incident, title: 'AI queries: failing (5xx) — EU!' })).toBe('inc-20261128-ai-queries-failing-5xx-eu');
    expect(roomName({ ...incident, title: '🔥🔥' })).toBe('inc-20261128-inc-ab12');
    expect(roomName({ ...incident, title: 'x'.repeat(200) }).length).toBeLessThanOrEqual(80);
  });
});
