import { afterEach, describe, expect, it } from 'vitest';
import { foldIncident } from '../../src/core/incidents/fold.js';
import type { Incident, IncidentEvent } from '../../src/core/incidents/model.js';
import { postmortemMarkdown } from '../../src/core/incidents/postmortem.js';
import { bound, deterministicSummary, summarize, SUMMARY_MAX } from '../../src/core/incidents/summary.js';
import type { AuditEntry } from '../../src/app/audit.js';
import { startRig, type Rig } from './incident-rig.js';
import { startFakeGroq, type FakeGroq } from '../harness/fake-groq.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const incident: Incident = { id: 'INC-PM34', title: 'AI queries failing', severity: 'P1', feature: 'AI query', commander: 'UCMD0001', declaredBy: 'UDECL001', declaredAt: T0, channelId: 'COPS0001' };
const events: IncidentEvent[] = [
  { type: 'tick', item: 's1.1', by: 'UOPER001', at: T0 + 4 * MIN },
  { type: 'status', text: 'Groq rate limited; falling back to RAG', by: 'UCMD0001', at: T0 + 12 * MIN },
  { type: 'tick', item: 's3.1', by: 'UOPER001', at: T0 + 20 * MIN },
  { type: 'resolved', by: 'UCMD0001', at: T0 + 80 * MIN },
];
const state = foldIncident(incident, events.map((data, i) => ({ seq: i + 1, data })));
const audit: AuditEntry[] = [
  { at: T0 + 15 * MIN, userId: 'UOPER001', action: 'cognee warm-up', args: '', channelId: 'COPS0001', outcome: 'ok' },
  { at: T0 + 16 * MIN, userId: 'UOPER001', action: 'incident status', args: 'x', channelId: 'COPS0001', outcome: 'ok' },
  { at: T0 - 60 * MIN, userId: 'UOPER001', action: 'cache clear', args: '', channelId: 'COPS0001', outcome: 'ok' },
];

describe('postmortemMarkdown', () => {
  const markdown = postmortemMarkdown({ state, audit, summary: deterministicSummary(state, T0 + 90 * MIN), now: T0 + 90 * MIN });

  it('has the sections of Step 6', () => {
    const headings = markdown.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# Post-mortem: INC-PM34 AI queries failing', '## Summary', '## Impact', '## Timeline (UTC)', '## Root cause', '## Prevention']);
    expect(markdown).toContain('- Duration: 1h 20m');
    expect(markdown).toContain('- Affected feature: AI query');
    expect(markdown).toContain('- Time to first response: 4m (within the target)');
  });

  it('merges the incident timeline with the audit log of its lifetime, in order', () => {
    const timeline = markdown.split('## Timeline (UTC)\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(timeline).toEqual([
      '- 09:00 UTC declared P1 by @UDECL001: AI queries failing',
      '- 09:04 UTC @UOPER001 ticked “Check system health endpoints”',
      '- 09:12 UTC status from @UCMD0001: Groq rate limited; falling back to RAG',
      '- 09:15 UTC @UOPER001 ran cognee warm-up: ok',
      '- 09:20 UTC @UOPER001 ticked “Apply quick fix (restart, rollback, enable fallback)”',
      '- 10:20 UTC resolved by @UCMD0001',
    ]);
  });

  it('lists the open checklist items as follow-ups and leaves the root cause to fill in', () => {
    expect(markdown).toMatch(/## Root cause\n\nTo fill in/);
    expect(markdown).toContain('- [ ] Step 4: Identify root cause');
    expect(markdown).not.toContain('Step 1: Check system health endpoints');
  });

  it('cannot be broken out of its code block by user text', () => {
    const sneaky = foldIncident({ ...incident, title: 'x ``` <!channel>' }, []);
    expect(postmortemMarkdown({ state: sneaky, audit: [], summary: 's', now: T0 })).not.toContain('```');
  });
});

describe('the summary paragraph', () => {
  let groqs: FakeGroq[] = [];
  afterEach(async () => {
    for (const g of groqs.splice(0)) await g.close();
  });

  async function fakeGroq(answer: FakeGroq['answer']): Promise<FakeGroq> {
    const groq = await startFakeGroq(answer);
    groqs.push(groq);
    return groq;
  }

  it('is deterministic without a key', async () => {
    const result = await summarize(state, T0 + 90 * MIN, undefined);
    expect(result.source).toBe('deterministic');
    expect(result.text).toBe(deterministicSummary(state, T0 + 90 * MIN));
    expect(result.text).toContain('resolved by @UCMD0001 after 1h 20m');
    expect(result.text).toContain('The first response came after 4m (target: < 30 minutes, met).');
  });

  it('asks Groq with the timeline and keeps a valid answer, cleaned and bounded', async () => {
    const groq = await fakeGroq(() => ({ status: 200, content: `**Groq** rate limits broke <!channel> AI queries for 80 minutes. ${'Fallback to RAG restored service. '.repeat(40)}` }));
    const result = await summarize(state, T0 + 90 * MIN, { apiKey: 'gsk_test', baseURL: groq.url, model: 'llama-test' });
    expect(result.source).toBe('groq');
    expect(result.text.startsWith('Groq rate limits broke !channel AI queries')).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(groq.requests[0]!.path).toBe('/openai/v1/chat/completions');
    expect(groq.requests[0]!.auth).toBe('Bearer gsk_test');
    expect(groq.requests[0]!.body.model).toBe('llama-test');
    expect(JSON.stringify(groq.requests[0]!.body.messages)).toContain('status from @UCMD0001: Groq rate limited');
  });

  it('falls back when Groq fails, answers nonsense or is slower than the timeout', async () => {
    for (const answer of [{ status: 500 }, { status: 200, content: 'ok' }, { status: 200, content: 'A long enough paragraph that arrives far too late to be used.', delayMs: 400 }]) {
      const groq = await fakeGroq(() => answer);
      const errors: unknown[] = [];
      const result = await summarize(state, T0 + 90 * MIN, { apiKey: 'k', baseURL: groq.url, model: 'm', timeoutMs: 200 }, (e) => errors.push(e));
      expect(result).toEqual({ source: 'deterministic', text: deterministicSummary(state, T0 + 90 * MIN) });
      expect(errors).toHaveLength(1);
    }
  });

  it('bound() cuts at a sentence end, else at a word', () => {
    expect(bound('First sentence here. Second one is longer.', 30)).toBe('First sentence here.');
    expect(bound('One. Two three four.', 12)).toBe('One. Two…');
    expect(bound('short', 12)).toBe('short');
  });
});

describe('resolving posts the draft in the thread', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('with the duration, the audit entries and a done button', async () => {
    rig = await startRig();
    const declared = await rig.incidents.declare({ severity: 'P2', title: 'Uploads broken', declaredBy: 'UDECL001', channelId: 'COPS0001' });
    const { id } = declared.incident;
    rig.clock.advance(5 * MIN);
    await rig.audit.record({ userId: 'UOPER001', action: 'cache clear-expired', args: '', channelId: 'COPS0001', outcome: 'ok' });
    rig.clock.advance(40 * MIN);
    await rig.incidents.change(id, 'UCMD0001', { type: 'resolved' });
    const thread = rig.poster.posts.filter((p) => p.threadTs === declared.incident.message!.ts);
    expect(thread.map((p) => p.message.text)).toEqual([expect.stringContaining(`${id} resolved`), `Post-mortem draft for ${id}`]);
    expect(thread[0]!.message.text).toContain('after 45m');
    const draft = thread[1]!.message.parts.find((p) => p.type === 'code');
    expect(draft?.type === 'code' && draft.text).toContain('- 09:05 UTC @UOPER001 ran cache clear-expired: ok');
    expect(JSON.stringify(thread[1]!.message.parts)).toContain('incident.postmortem');
    await expect(rig.incidents.change(id, 'UCMD0001', { type: 'resolved' })).rejects.toThrow(/already resolved/);
  });
});
