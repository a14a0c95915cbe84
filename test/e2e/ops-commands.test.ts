/**
 * The runbook's operational commands end to end: debug, sync, the Cognee and cache
 * reads, and the confirmed cache clear and full sync, against the SVP simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, FakeClock, OPERATOR, READER, startTestBot, type TestBot } from '../harness/bot-fixture.js';
import { visibleText } from '../harness/support.js';

let t: TestBot;
afterEach(() => t?.stop());

/** Runs a command and returns what it answered: a channel message or an ephemeral reply. */
async function run(userId: string, text: string): Promise<string> {
  const [messages, ephemerals] = [t.slack.messages.length, t.slack.ephemerals.length];
  await t.driver.command(text, { userId });
  const reply = await t.slack.waitFor(() => t.slack.messages[messages] ?? t.slack.ephemerals.slice(ephemerals).find((e) => e.user === userId));
  return visibleText(reply);
}

const bodiesOf = (route: string) => t.sim.calls.filter((c) => c.route === route).map((c) => c.body);

describe('debug', () => {
  it('asks the five stages in parallel, names the slowest and quotes its runbook fix', async () => {
    t = await startTestBot();
    t.sim.preset('slow-ai');
    const reply = await run(READER, 'debug What blockers does Product X have? 550e8400');
    expect(reply).toMatch(/Slowest stage:\* `cognee_query` — 2600 ms — over the runbook's "Cognee query > 500ms"/);
    expect(reply).toContain('Optimization Actions: `Cognee query > 500ms | Add graph indexes, optimize traversal | 50% reduction`');
    expect(bodiesOf('/debug/rag')).toEqual([{ query: 'What blockers does Product X have?', product_id: '550e8400' }]);
    expect(bodiesOf('/debug/confidence')).toEqual([{ product_id: '550e8400' }]);
    expect(bodiesOf('/debug/profile')).toEqual([{ query: 'What blockers does Product X have?', enable_profiling: true }]);
    expect(t.slack.allPostedBlocksValid()).toEqual([]);
  });

  it('quotes the Common Issues rows that match: low confidence and missing sources', async () => {
    t = await startTestBot();
    t.sim.state.confidence.overall = 0.3;
    const reply = await run(READER, 'debug Tell me about Unknown Gadget');
    expect(reply).toContain('Common Issues: `Low confidence (< 0.5) | Stale data | Re-ingest products` — seen: overall confidence 0.30 → `/svp cognee ingest products`');
    expect(reply).toContain('Common Issues: `Missing sources | Entity not in graph | Check Cognee ingestion` — seen: RAG retrieved no chunks and Cognee found no entities');
    expect(bodiesOf('/debug/rag')).toEqual([{ query: 'Tell me about Unknown Gadget' }]);
  });

  it('falls back to its own timings when the profile fails, and says which stages failed', async () => {
    t = await startTestBot();
    t.sim.setFault('/debug/profile', { kind: 'error', status: 500 });
    t.sim.setFault('/debug/cognee', { kind: 'slow', ms: 600 });
    const reply = await run(READER, 'debug why is it slow');
    expect(reply).toMatch(/\*Profile\* — `POST \/debug\/profile` answered 500/);
    expect(reply).toMatch(/Slowest stage:\* `cognee_query` — \d+ ms \(timed by the bot: the profile failed\) — over/);
  });

  it('refuses a product id that is not an id, in one line, without calling SVP', async () => {
    t = await startTestBot();
    const reply = await run(READER, 'debug What blockers? ../550e8400');
    expect(reply.split('\n')[0]).toMatch(/^Usage: `\/svp debug <question> \[product-id\]` — expected a product id/);
    expect(t.sim.calls).toEqual([]);
  });
});

describe('sync', () => {
  it("sync test sends the runbook's test payload, then asks the AI and says the sync worked", async () => {
    t = await startTestBot();
    const reply = await run(OPERATOR, 'sync test');
    expect(bodiesOf('/api/sync/webhook')).toEqual([{ type: 'INSERT', table: 'products', record: { id: 'test-123', name: 'Test Product', lifecycle_stage: 'Develop' } }]);
    expect(bodiesOf('/ai/query')).toEqual([{ query: 'Tell me about Test Product' }]);
    expect(reply).toContain('The sync worked.');
  });

  it('sync test says the sync failed when the product does not reach the AI', async () => {
    t = await startTestBot();
    // Cognee down: the webhook is accepted but the AI answers without the new product.
    t.sim.setFault('/api/sync/webhook', { kind: 'error', status: 200, body: '{"success": true, "message": "Sync initiated"}' });
    const reply = await run(OPERATOR, 'sync test Brand New Thing');
    expect(reply).toContain('The sync failed');
    expect(reply).toContain('/svp sync ingest');
  });

  it('sync check tells a known product from an unknown one; sync test needs an operator', async () => {
    t = await startTestBot();
    expect(await run(READER, 'sync check Pilot Dashboard')).toContain('The AI knows *Pilot Dashboard*');
    expect(await run(READER, 'sync check Nope Gadget')).toContain('The AI does not know *Nope Gadget*');
    expect(await run(READER, 'sync test')).toContain('is for operators only');
    expect(bodiesOf('/api/sync/webhook')).toEqual([]);
  });

  it('sync ingest is confirmed by an admin, then its job is followed to the end', async () => {
    const clock = new FakeClock();
    t = await startTestBot({ clock });
    await t.driver.command('sync ingest', { userId: ADMIN });
    const request = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('sync ingest: waiting')));
    expect(visibleText(request)).toContain('re-syncs every product');
    expect(bodiesOf('/api/sync/ingest')).toEqual([]);
    await t.driver.clickButton(request, 'confirm:0', { userId: ADMIN });
    const job = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('Full sync of all products')));
    await t.slack.waitFor(() => request.text === 'sync ingest: done');
    for (let i = 0; i < 3; i++) {
      clock.advance(5_000);
      await t.bot.services.scheduler.runTick('jobs', clock.now());
    }
    expect(job.text).toMatch(/: completed$/);
  });
});

describe('cognee status', () => {
  it('follows a running job started elsewhere until it ends, then shows it as ended', async () => {
    const clock = new FakeClock();
    t = await startTestBot({ clock });
    const started = await fetch(`${t.sim.url}/cognee/ingest/actions`, { method: 'POST', body: '{}' }).then((r) => r.json() as Promise<{ job_id: string }>);
    expect(await run(READER, `cognee status ${started.job_id}`)).toMatch(/Cognee ingestion: actions .*: running/);
    expect(await run(READER, `cognee status ${started.job_id}`)).toContain('running'); // already followed: no second message
    expect(t.slack.messages.filter((m) => m.text.startsWith('Cognee ingestion'))).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      clock.advance(5_000);
      await t.bot.services.scheduler.runTick('jobs', clock.now());
    }
    expect(t.slack.messages[0]?.text).toMatch(/: completed$/);
  });
});

describe('Cognee and cache', () => {
  it('cache stats on a cold cache advises the warm-up; cognee stats reads the same endpoint', async () => {
    t = await startTestBot();
    t.sim.preset('cold-cache');
    const reply = await run(READER, 'cache stats');
    expect(reply).toContain('Hit rate below 30% (cold start)');
    expect(reply).toContain('/svp cognee warm-up');
    await run(READER, 'cognee stats');
    expect(t.sim.calls.map((c) => c.route)).toEqual(['/cognee/cache/stats', '/cognee/cache/stats']);
  });

  it('cognee health, diagnostics, entities and query show what SVP answered', async () => {
    t = await startTestBot();
    t.sim.state.cognee.duplicates = 3;
    expect(await run(READER, 'cognee health')).toContain('cognee ready, graph_db connected, 1234 entities');
    expect(await run(READER, 'cognee diagnostics')).toMatch(/3 duplicate entities[\s\S]*\/svp cognee reset/);
    expect(await run(READER, 'cognee entities Product 2')).toMatch(/1\. Product X \(Product\) · `550e8400`\n2\. Pilot Dashboard/);
    expect(bodiesOf('/cognee/entities')).toEqual([{ entity_type: 'Product', limit: 2 }]);
    expect(await run(READER, 'cognee entities Product 1000')).toContain('expected a limit from 1 to 100');
    // Without filters it is the plain GET of the Target service list.
    expect(await run(READER, 'cognee entities')).toContain('Product X');
    expect(t.sim.calls.filter((c) => c.route === '/cognee/entities').map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(await run(READER, 'cognee query Tell me about Vision Insights')).toContain('Vision Insights (Product)');
  });

  it('cache clear asks an admin first and names the service; clear-expired runs at once for an operator', async () => {
    t = await startTestBot();
    await t.driver.command('cache clear', { userId: ADMIN });
    const request = await t.slack.waitFor(() => t.slack.messages.find((m) => m.text.startsWith('cache clear: waiting')));
    expect(visibleText(request)).toContain(`POST /cache/clear on ${t.sim.url} deletes every entry`);
    expect(await run(OPERATOR, 'cache clear-expired')).toContain('Cleared 40 expired cache entries');
    expect(t.sim.calls.map((c) => c.route)).toEqual(['/cache/clear-expired']);
  });

  it('a warm-up that SVP refuses is reported and audited as failed', async () => {
    t = await startTestBot();
    t.sim.setFault('/cognee/warm-up', { kind: 'error', status: 200, body: '{"success": false, "error": "cache locked"}' });
    expect(await run(OPERATOR, 'cognee warm-up')).toContain('answered success: false: cache locked');
    expect(await run(OPERATOR, 'audit 1')).toMatch(/cognee warm-up.*failed.*cache locked/);
  });
});
