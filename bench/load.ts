/**
 * Issue 7's load figures: 1,000 mixed signed requests at concurrency 50 against the
 * compiled bot and the simulator — /svp health, ask, metrics, runbook starts and their
 * step buttons, incident checkbox ticks, and mutating commands by operators — with ack
 * p99, completion p99 (until the reply or message update lands on the fake Slack), peak
 * RSS and errors, beside a bare Bolt app that only acks the same number of commands.
 *
 *   npx tsx bench/load.ts
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { CHECKLIST } from '../src/core/incidents/model.js';
import { startFakeSlack, type Block, type FakeMessage, type FakeResponse, type FakeSlack } from '../test/harness/fake-slack.js';
import { SlackDriver, type InteractionResponse } from '../test/harness/slack-driver.js';
import { tempDatabase } from '../test/harness/support.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/harness/bot-fixture.js';
import { isMain, percentile, printTable, round, runConcurrent, sleep } from './lib.js';
import { ackP99Bound, botView, buildBot, sampleRss, startChild, type Child, type LoopDelay } from './processes.js';

const REQUESTS = 1000;
const CONCURRENCY = 50;
const REPLY_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 100;
const GOALS = { ackP99Ms: 100, rssMb: 250 };
const ADMIN = 'UBADM001';
// Ten operators, so the mutating commands stay under the limit of 10 a minute per person.
const OPERATORS = Array.from({ length: 10 }, (_, i) => `UBOP${String(i).padStart(4, '0')}`);
const READERS = Array.from({ length: 10 }, (_, i) => `UBRD${String(i).padStart(4, '0')}`);
const QUESTIONS = ['What blockers does Product X have?', 'Which products shipped last week?', 'Who owns the checkout redesign?'];
const CHECKLIST_ITEMS = CHECKLIST.flatMap((s) => s.items.map((item) => ({ step: s.step, item: item.id })));

/** One round of the mix: 18 tasks, 20 requests (a runbook task is a start, then its step). */
const ROUND = ['health', 'ask', 'runbook', 'tick', 'metrics', 'health', 'ask', 'tick', 'mutate', 'health', 'metrics', 'runbook', 'ask', 'health', 'tick', 'metrics', 'ask', 'health'] as const;
type Task = (typeof ROUND)[number];
const REQUESTS_PER_ROUND = ROUND.length + ROUND.filter((t) => t === 'runbook').length;
const TASKS: Task[] = Array.from({ length: REQUESTS / REQUESTS_PER_ROUND }, () => ROUND).flat();

interface Sample {
  kind: string;
  status: number;
  ackMs: number;
  /** From sending until the reply or update landed; undefined when it never did. */
  completionMs?: number;
  /** The reply was a failure note (an error ref, a refusal, the rate limit). */
  errorReply?: boolean;
}

interface Incident {
  id: string;
  message: FakeMessage;
  channelId: string;
}


/** Command replies by response_url, indexed as they land so fifty waiters don't rescan every post. */
class Replies {
  private seen = 0;
  private readonly byUrl = new Map<string, FakeResponse>();
  constructor(private readonly slack: FakeSlack) {}

  of(url: string): FakeResponse | undefined {
    const all = this.slack.responses;
    for (; this.seen < all.length; this.seen++) {
      const r = all[this.seen]!;
      if (!r.ack && !this.byUrl.has(r.url)) this.byUrl.set(r.url, r);
    }
    return this.byUrl.get(url);
  }
}

/** How the bot's failure notes read: an error with its ref, a refusal, the rate limit, bad usage. */
const FAILURE_NOTE = /\bref [0-9a-f]{8}\b|^(Slow down|Not allowed|Usage):/;

/** Drives the bot like Slack would, one task of the mix at a time, and times each request. */
class LoadDriver {
  private readonly replies: Replies;
  private ticks = 0;
  private mutations = 0;
  private runbooks = 0;

  constructor(
    private readonly driver: SlackDriver,
    private readonly slack: FakeSlack,
    private readonly sim: Simulator,
    private readonly incidents: Incident[],
  ) {
    this.replies = new Replies(slack);
  }

  /** A slash command whose reply comes through its response_url. */
  async command(kind: string, text: string, userId: string): Promise<Sample> {
    const started = performance.now();
    const sent = await this.driver.command(text, { userId });
    return this.landed(kind, sent, started, () => this.replies.of(sent.responseUrl));
  }

  async run(task: Task, i: number): Promise<Sample[]> {
    const reader = READERS[i % READERS.length]!;
    switch (task) {
      case 'health':
        return [await this.command('health', 'health', reader)];
      case 'metrics':
        return [await this.command('metrics', 'metrics', reader)];
      case 'ask':
        return [await this.command('ask', `ask ${QUESTIONS[i % QUESTIONS.length]}`, reader)];
      case 'mutate':
        return [await this.mutate()];
      case 'tick':
        return [await this.tick()];
      case 'runbook':
        return this.runbook();
    }
  }

  /** Rotates through the mutating commands an operator runs during an incident. */
  private mutate(): Promise<Sample> {
    const n = this.mutations++;
    const incident = this.incidents[n % this.incidents.length]!;
    const texts = ['cache clear-expired', 'cognee ingest products', `incident note ${incident.id} load test note ${n}`];
    return this.command('mutating command', texts[n % texts.length]!, OPERATORS[n % OPERATORS.length]!);
  }

  /** Ticks a box nobody has ticked yet; it has landed when the incident message shows it ticked. */
  private async tick(): Promise<Sample> {
    const n = this.ticks++;
    const incident = this.incidents[n % this.incidents.length]!;
    const { step, item } = CHECKLIST_ITEMS[Math.floor(n / this.incidents.length)]!;
    const group = () => incident.message.blocks.find((b) => b.type === 'actions' && String(b.block_id).includes(`/s${step}/`));
    const shown = group()!;
    const selected = (shown.elements[0].initial_options ?? []).map((o: Block) => o.value as string);
    const started = performance.now();
    const sent = await this.driver.tickCheckbox(incident.message, shown.block_id, [...selected, item], { userId: READERS[n % READERS.length], channelId: incident.channelId });
    return this.landed('incident tick', sent, started, () => group()?.elements[0].initial_options?.some((o: Block) => o.value === item));
  }

  /**
   * Starts slow-ai-queries in a channel of its own (so its message is easy to find), waits
   * for it to stop at a step, then runs that step: the warm-up button, or the manual tick
   * when a concurrent warm-up has already made the cache warm.
   */
  private async runbook(): Promise<Sample[]> {
    const n = this.runbooks++;
    const channelId = `CBRUN${String(n).padStart(4, '0')}`;
    const operator = OPERATORS[n % OPERATORS.length]!;
    let message: FakeMessage | undefined;
    const settledAt = (text: string) => /Waiting at step|Done/.test(text);
    // Cold cache: the run offers the warm-up (a step an operator clicks).
    this.sim.state.cache.hitRate = 0.2;
    const startedAt = performance.now();
    const start = await this.driver.command('runbook slow-ai-queries', { userId: operator, channelId });
    const startSample = await this.landed('runbook start', start, startedAt, () => {
      message ??= this.slack.messages.find((m) => m.channel === channelId && !m.thread_ts);
      return message && settledAt(message.text);
    });
    if (!message || startSample.completionMs === undefined) return [startSample];
    const before = message.text;
    const moved = () => message!.text !== before && settledAt(message!.text);
    const stepAt = performance.now();
    const runButton = message.blocks.flatMap((b) => b.elements ?? []).find((e: Block) => e.type === 'button' && String(e.text?.text).startsWith('Run:'));
    const manual = message.blocks.find((b) => b.block_id === 'manual');
    if (runButton) return [startSample, await this.landed('runbook step (run)', await this.driver.clickButton(message, runButton.action_id, { userId: operator }), stepAt, moved)];
    if (manual) {
      // The manual step here (restart the AI service) is an admin's to tick.
      const ticked = await this.driver.tickCheckbox(message, 'manual', [manual.elements[0].options[0].value], { userId: ADMIN });
      return [startSample, await this.landed('runbook step (tick)', ticked, stepAt, moved)];
    }
    return [startSample];
  }

  /** Waits until `probe` holds or a failure note comes back through the response_url. */
  private async landed(kind: string, sent: InteractionResponse, started: number, probe: () => unknown): Promise<Sample> {
    if (sent.status !== 200) return { kind, status: sent.status, ackMs: sent.ms };
    const failure = () => FAILURE_NOTE.test((this.replies.of(sent.responseUrl)?.body as { text?: string } | undefined)?.text ?? '');
    // Looks again at each request the fake Slack handles (and at least once a second).
    const landed = await this.slack.waitFor(() => failure() || probe(), REPLY_TIMEOUT_MS, 1000).then(() => true, () => false);
    return { kind, status: sent.status, ackMs: sent.ms, completionMs: landed ? performance.now() - started : undefined, errorReply: failure() };
  }
}

/** Declares enough incidents that every tick of the run has a box of its own to tick. */
async function declareIncidents(driver: SlackDriver, slack: FakeSlack, count: number): Promise<Incident[]> {
  const replies = new Replies(slack);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const channelId = `CBINC${String(i).padStart(4, '0')}`;
      const sent = await driver.command(`incident declare P2 Load test incident ${i}`, { userId: OPERATORS[i % OPERATORS.length], channelId });
      const reply = await slack.waitFor(() => replies.of(sent.responseUrl), REPLY_TIMEOUT_MS);
      const id = /INC-[A-Z0-9]{4}/.exec((reply.body as { text?: string }).text ?? '')?.[0];
      if (!id) throw new Error(`incident declare answered: ${JSON.stringify(reply.body).slice(0, 300)}`);
      const message = await slack.waitFor(() => slack.messages.find((m) => m.channel === channelId && !m.thread_ts));
      return { id, message, channelId };
    }),
  );
}

/** Each kind of request: how many, and its ack p99. */
function mixOf(samples: Sample[]): string {
  const acks = new Map<string, number[]>();
  for (const s of samples) acks.set(s.kind, [...(acks.get(s.kind) ?? []), s.ackMs]);
  return [...acks].map(([kind, ms]) => `${kind} ${ms.length} (ack p99 ${round(percentile(ms, 99))} ms)`).join(', ');
}

interface Measured {
  bareAcks: InteractionResponse[];
  samples: Sample[];
  wallS: number;
  peakRss: { bot: number; bare: number };
  /** Event-loop delay during the mix, ms: the bot's (from its /metrics) and this process's. */
  loopDelay: { bot: LoopDelay; generator: LoopDelay };
  botAckP99: number; // the bucket bound under which the bot itself answered 99% of the mix, ms
}

/** The baseline, then the mix against the bot, with both processes' RSS sampled throughout. */
async function measure(bot: Child, bare: Child, sim: Simulator, slack: FakeSlack): Promise<Measured> {
  const rss = sampleRss([bot, bare], RSS_SAMPLE_MS);
  try {
    const driverOf = (child: Child) => new SlackDriver({ appUrl: `${child.url}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack });
    const bareDriver = driverOf(bare);
    const botDriver = driverOf(bot);
    // Each app first answers 2 × CONCURRENCY `help` commands, so the connections the
    // measurement uses are open, as a steady flow of deliveries keeps them. (A burst on new
    // connections waits for a busy bot to accept them, one per event-loop turn: BENCHMARKS.md.)
    const warmUp = (driver: SlackDriver) => runConcurrent(2 * CONCURRENCY, CONCURRENCY, () => driver.command('help'));
    await warmUp(bareDriver);

    // Baseline: the same number of signed commands at the same concurrency, acked and nothing more.
    const texts = ['health', 'metrics', `ask ${QUESTIONS[0]}`];
    const bareAcks = await runConcurrent(REQUESTS, CONCURRENCY, (i) => bareDriver.command(texts[i % texts.length]!, { userId: READERS[i % READERS.length] }));

    const ticks = TASKS.filter((t) => t === 'tick').length;
    const incidents = await declareIncidents(botDriver, slack, Math.ceil(ticks / CHECKLIST_ITEMS.length));
    const load = new LoadDriver(botDriver, slack, sim, incidents);
    // The bot's warm-up is over when its replies have landed, not when it has acked.
    const warmed = await warmUp(botDriver);
    const warmUpReplies = new Replies(slack);
    await slack.waitFor(() => warmed.every((sent) => warmUpReplies.of(sent.responseUrl)), REPLY_TIMEOUT_MS);
    // Ack latency is measured here, in the process that is also the fake Slack and SVP for
    // the bot: both event loops' delays are recorded to tell where waiting happened.
    const before = await botView(bot);
    const generator = monitorEventLoopDelay({ resolution: 5 });
    generator.enable();
    const started = performance.now();
    const samples = (await runConcurrent(TASKS.length, CONCURRENCY, (i) => load.run(TASKS[i]!, i))).flat();
    const wallS = (performance.now() - started) / 1000;
    generator.disable();
    const after = await botView(bot);
    const loopDelay = { bot: after.loop, generator: { p99: generator.percentile(99) / 1e6, max: generator.max / 1e6 } };
    await sleep(RSS_SAMPLE_MS);
    return { bareAcks, samples, wallS, peakRss: { bot: rss.peaks[0]!, bare: rss.peaks[1]! }, loopDelay, botAckP99: ackP99Bound(before, after) };
  } finally {
    rss.stop();
  }
}

/** Prints the one table; sets a failing exit code when anything went wrong under load. */
function report({ bareAcks, samples, wallS, peakRss, loopDelay, botAckP99 }: Measured, slack: FakeSlack): void {
  const acks = samples.map((s) => s.ackMs);
  const completions = samples.flatMap((s) => (s.completionMs === undefined ? [] : [s.completionMs]));
  const errors = {
    non200: samples.filter((s) => s.status !== 200).length,
    lost: samples.filter((s) => s.status === 200 && s.completionMs === undefined).length,
    rejected: slack.allPostedBlocksValid().length,
    failureReplies: samples.filter((s) => s.errorReply).length,
  };
  const bareMs = bareAcks.map((r) => r.ms);
  console.log(`\nsvp-ops mix (${samples.length} requests in ${round(wallS)} s): ${mixOf(samples)}`);
  printTable(`Load: ${REQUESTS} signed requests at concurrency ${CONCURRENCY}, bot and bare Bolt as compiled child processes, simulator as SVP`, [
    { app: 'bare Bolt (ack only)', requests: bareAcks.length, 'ack p50 ms': round(percentile(bareMs, 50)), 'ack p99 ms': round(percentile(bareMs, 99)), 'completion p50 ms': '', 'completion p99 ms': '', 'peak RSS MB': round(peakRss.bare), non200: bareAcks.filter((r) => r.status !== 200).length, 'lost replies': '', rejected: '', 'failure replies': '' },
    { app: 'svp-ops', requests: samples.length, 'ack p50 ms': round(percentile(acks, 50)), 'ack p99 ms': round(percentile(acks, 99)), 'completion p50 ms': round(percentile(completions, 50)), 'completion p99 ms': round(percentile(completions, 99)), 'peak RSS MB': round(peakRss.bot), non200: errors.non200, 'lost replies': errors.lost, rejected: errors.rejected, 'failure replies': errors.failureReplies },
    { app: 'goal (svp-ops)', requests: '', 'ack p50 ms': '', 'ack p99 ms': `< ${GOALS.ackP99Ms}`, 'completion p50 ms': '', 'completion p99 ms': '', 'peak RSS MB': `< ${GOALS.rssMb}`, non200: 0, 'lost replies': 0, rejected: 0, 'failure replies': 0 },
  ]);
  const delay = (d: LoopDelay) => `p99 ${round(d.p99)} ms, max ${round(d.max)} ms`;
  console.log(`Event-loop delay during the mix: bot ${delay(loopDelay.bot)}; load generator (with the fake Slack and the simulator) ${delay(loopDelay.generator)}.`);
  console.log(`Ack p99 as the bot measures it (arrival to HTTP answer, its svp_ops_slack_ack_seconds histogram): ≤ ${botAckP99} ms.`);
  if (Object.values(errors).some((n) => n > 0)) {
    console.error(`load: errors under load${errors.rejected ? `; rejected: ${slack.allPostedBlocksValid().slice(0, 3).join(' | ')}` : ''}`);
    process.exitCode = 1;
  }
}

export async function main(): Promise<void> {
  const sim = await startSimulator();
  const slack = await startFakeSlack({ token: BOT_TOKEN });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
    SVP_API_URL: sim.url, SVP_FRONTEND_URL: sim.frontendUrl, DATABASE_URL: tempDatabase(), SVP_OPERATORS: OPERATORS.join(','), SVP_ADMINS: ADMIN,
  };
  const children: Child[] = [];
  try {
    const botArgs = buildBot();
    const bot = await startChild(botArgs, env);
    children.push(bot);
    // The baseline runs under the same node flags as the bot.
    const bare = await startChild([...botArgs.slice(0, -1), 'bench/bare-bolt.mjs'], env);
    children.push(bare);
    report(await measure(bot, bare, sim, slack), slack);
  } finally {
    for (const child of children) await child.stop();
    await sim.close();
    await slack.close();
  }
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
