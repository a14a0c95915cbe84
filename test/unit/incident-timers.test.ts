import { afterEach, describe, expect, it } from 'vitest';
import { dueTimers, LEAD_AFTER_MS, MANAGER_AFTER_MS, NUDGE_EVERY_MS, POSTMORTEM_WITHIN_MS } from '../../src/core/incidents/timers.js';
import { foldIncident } from '../../src/core/incidents/fold.js';
import type { Incident } from '../../src/core/incidents/model.js';
import { startRig, type Rig } from './incident-rig.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const incident = (severity: Incident['severity']): Incident => ({ id: 'INC-TT22', title: 't', severity, declaredBy: 'UA', declaredAt: T0, channelId: 'C1' });

describe('dueTimers', () => {
  it('follows the Severity Levels for the response target', () => {
    const due = (severity: Incident['severity'], after: number) => dueTimers(foldIncident(incident(severity), []), T0 + after).map((t) => t.kind);
    expect(due('P0', 4 * MIN)).not.toContain('response');
    expect(due('P0', 5 * MIN)).toContain('response');
    expect(due('P1', 29 * MIN)).not.toContain('response');
    expect(due('P1', 30 * MIN)).toContain('response');
    expect(due('P2', 4 * 60 * MIN - 1)).not.toContain('response');
    expect(due('P2', 4 * 60 * MIN)).toContain('response');
    expect(due('P3', 24 * 60 * MIN)).toContain('response');
  });

  it('escalates to the lead after 30 min and, for P0 only, to the manager after 1 h', () => {
    const at = (severity: Incident['severity'], after: number) => dueTimers(foldIncident(incident(severity), []), T0 + after).map((t) => t.kind);
    expect(at('P2', LEAD_AFTER_MS - 1)).not.toContain('lead');
    expect(at('P2', LEAD_AFTER_MS)).toContain('lead');
    expect(at('P1', MANAGER_AFTER_MS)).not.toContain('manager');
    expect(at('P0', MANAGER_AFTER_MS - 1)).not.toContain('manager');
    expect(at('P0', MANAGER_AFTER_MS)).toContain('manager');
  });

  it('nudges P0 and P1 only, 30 min after the last status', () => {
    const p1 = foldIncident(incident('P1'), [{ seq: 1, data: { type: 'status', text: 'x', by: 'UA', at: T0 + 20 * MIN } }]);
    expect(dueTimers(p1, T0 + 49 * MIN).map((t) => t.kind)).not.toContain('nudge');
    expect(dueTimers(p1, T0 + 50 * MIN).find((t) => t.kind === 'nudge')?.dueAt).toBe(T0 + 50 * MIN);
    expect(dueTimers(foldIncident(incident('P2'), []), T0 + 5 * 60 * MIN).map((t) => t.kind)).not.toContain('nudge');
  });

  it('stops everything but the post-mortem reminder once resolved', () => {
    const resolved = foldIncident(incident('P0'), [{ seq: 1, data: { type: 'resolved', by: 'UA', at: T0 + 10 * MIN } }]);
    expect(dueTimers(resolved, T0 + 10 * MIN + POSTMORTEM_WITHIN_MS - 1)).toEqual([]);
    expect(dueTimers(resolved, T0 + 10 * MIN + POSTMORTEM_WITHIN_MS).map((t) => t.kind)).toEqual(['postmortem']);
  });
});

describe('the incident-timers sweep', () => {
  let rig: Rig;
  const others: Rig[] = [];
  afterEach(async () => {
    await Promise.all([rig, ...others.splice(0)].map((r) => r.close()));
  });

  async function declare(severity: Incident['severity']) {
    const state = await rig.incidents.declare({ severity, title: 'AI queries failing', declaredBy: 'UDECL001', channelId: 'COPS0001' });
    return { id: state.incident.id, thread: state.incident.message!.ts };
  }

  it('reminds, escalates to the lead and the manager, each once, in the thread', async () => {
    rig = await startRig();
    const { thread } = await declare('P0');
    rig.clock.advance(5 * MIN);
    await rig.incidents.sweep(rig.clock.now());
    await rig.incidents.sweep(rig.clock.now());
    expect(rig.poster.threadTexts(thread)).toEqual([expect.stringMatching(/Response target breached/)]);
    expect(rig.poster.posts.at(-1)!.message.text).toContain('<@UONCALL1>');

    rig.clock.advance(25 * MIN);
    await rig.incidents.sweep(rig.clock.now());
    const texts = rig.poster.threadTexts(thread);
    expect(texts.filter((t) => /team lead/.test(t))).toHaveLength(1);
    expect(texts.find((t) => /team lead/.test(t))).toContain('<@ULEAD001>');
    expect(texts.filter((t) => /Status update due/.test(t))).toHaveLength(1);
    expect(texts.some((t) => /engineering manager/.test(t))).toBe(false);

    rig.clock.advance(30 * MIN);
    await rig.incidents.sweep(rig.clock.now());
    await rig.incidents.sweep(rig.clock.now());
    const later = rig.poster.threadTexts(thread);
    expect(later.filter((t) => /engineering manager/.test(t))).toHaveLength(1);
    expect(later.find((t) => /engineering manager/.test(t))).toContain('<@UMGR0001>');
    expect(later.filter((t) => /Status update due/.test(t))).toHaveLength(2);
    expect(later.filter((t) => /Response target breached/.test(t))).toHaveLength(1);
  });

  it('says who to configure when no lead is set', async () => {
    rig = await startRig({ SVP_ESCALATION_LEAD: [] });
    const { thread } = await declare('P2');
    rig.clock.advance(LEAD_AFTER_MS);
    await rig.incidents.sweep(rig.clock.now());
    expect(rig.poster.threadTexts(thread).join('\n')).toContain('No team lead is configured (SVP_ESCALATION_LEAD)');
  });

  it('a response in time means no response reminder; a status update resets the nudge; a snooze postpones it', async () => {
    rig = await startRig();
    const { id, thread } = await declare('P1');
    rig.clock.advance(10 * MIN);
    await rig.incidents.tick(id, 'UOPER001', [{ item: 's1.1', done: true }]);
    rig.clock.advance(10 * MIN);
    await rig.incidents.change(id, 'UOPER001', { type: 'status', text: 'investigating' });
    rig.clock.advance(20 * MIN); // 40 min: the lead, but no nudge yet (status at 20 min)
    await rig.incidents.sweep(rig.clock.now());
    let texts = rig.poster.threadTexts(thread);
    expect(texts.some((t) => /Response target breached/.test(t))).toBe(false);
    expect(texts.some((t) => /Status update due/.test(t))).toBe(false);

    await rig.incidents.change(id, 'UOPER001', { type: 'snooze', until: rig.clock.now() + 60 * MIN });
    rig.clock.advance(30 * MIN); // 70 min: nudge was due at 50, snoozed until 100
    await rig.incidents.sweep(rig.clock.now());
    texts = rig.poster.threadTexts(thread);
    expect(texts.some((t) => /Status update due/.test(t))).toBe(false);
    rig.clock.advance(30 * MIN); // 100 min
    await rig.incidents.sweep(rig.clock.now());
    expect(rig.poster.threadTexts(thread).filter((t) => /Status update due/.test(t))).toHaveLength(1);
    rig.clock.advance(NUDGE_EVERY_MS);
    await rig.incidents.sweep(rig.clock.now());
    expect(rig.poster.threadTexts(thread).filter((t) => /Status update due/.test(t))).toHaveLength(2);
  });

  it('two replicas sweeping at once, and a restart, fire each timer once', async () => {
    rig = await startRig();
    const { thread } = await declare('P0');
    const second = await rig.replica();
    others.push(second);
    rig.clock.advance(MANAGER_AFTER_MS);
    await Promise.all([rig.incidents.sweep(rig.clock.now()), second.incidents.sweep(rig.clock.now())]);
    const restarted = await rig.replica();
    others.push(restarted);
    await restarted.incidents.sweep(rig.clock.now());
    const all = [...rig.poster.posts, ...second.poster.posts, ...restarted.poster.posts].filter((p) => p.threadTs === thread).map((p) => p.message.text);
    for (const kind of [/Response target breached/, /team lead/, /engineering manager/, /Status update due/]) {
      expect(all.filter((t) => kind.test(t))).toHaveLength(1);
    }
  });

  it('after resolution, reminds once about a post-mortem not done within 7 days', async () => {
    rig = await startRig();
    const { id, thread } = await declare('P3');
    rig.clock.advance(10 * MIN);
    await rig.incidents.change(id, 'UOPER001', { type: 'resolved' });
    rig.clock.advance(POSTMORTEM_WITHIN_MS - 1);
    await rig.incidents.sweep(rig.clock.now());
    expect(rig.poster.threadTexts(thread).some((t) => /not marked done/.test(t))).toBe(false);
    rig.clock.advance(1);
    await rig.incidents.sweep(rig.clock.now());
    await rig.incidents.sweep(rig.clock.now() + 60 * MIN);
    expect(rig.poster.threadTexts(thread).filter((t) => /Post-mortem overdue|not marked done/.test(t))).toHaveLength(1);
    await rig.incidents.change(id, 'UOPER001', { type: 'postmortem-done' });
    expect(await rig.incidents.live()).toEqual([]);
  });
});
