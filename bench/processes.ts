/** Starts the bot (or the bare baseline) as its own process, as production runs it. */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Compiles the bot as `npm start` does and returns the node arguments of the start script
 * (flags and entry point), so benches measure exactly what production runs.
 */
export function buildBot(): string[] {
  execSync('npm run build --silent', { stdio: 'inherit' });
  const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
  return start.split(/\s+/).slice(1);
}

/** Runs node with these arguments (flags, then the entry point) and waits until its HTTP port answers. */
export async function startChild(args: string | string[], env: Record<string, string>): Promise<Child> {
  const entry = Array.isArray(args) ? args.at(-1)! : args;
  const port = await freePort();
  const proc = spawn(process.execPath, Array.isArray(args) ? args : [args], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${url}/slack/events`, { method: 'POST', body: '' });
      break;
    } catch {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`${entry} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    proc,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN) / 1024;
}

/** Samples the peak resident set size of each process every `everyMs` until stopped. */
export function sampleRss(children: Child[], everyMs: number): { peaks: number[]; stop(): void } {
  const peaks = children.map(() => 0);
  const sample = () => children.forEach((c, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(c.proc.pid!))));
  sample();
  const timer = setInterval(sample, everyMs);
  return { peaks, stop: () => clearInterval(timer) };
}

export interface LoopDelay {
  p99: number;
  max: number;
}

/** What the bot says of itself between two scrapes of its /metrics. */
export interface BotView {
  /** Event-loop delay, ms (prom-client's lag gauges; each scrape resets them). */
  loop: LoopDelay;
  /** Its Slack ack histogram: cumulative count by upper bound in seconds. */
  acks: Map<number, number>;
}

export async function botView(bot: Child): Promise<BotView> {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^svp_ops_nodejs_eventloop_lag_${name}_seconds (\\S+)`, 'm').exec(text)?.[1]) * 1000;
  const acks = new Map([...text.matchAll(/^svp_ops_slack_ack_seconds_bucket\{le="([\d.]+|\+Inf)"\} (\d+)/gm)].map((m) => [Number(m[1]), Number(m[2])] as const));
  return { loop: { p99: gauge('p99'), max: gauge('max') }, acks };
}

/** The bucket bound (ms) under which the bot answered 99% of the deliveries between two views. */
export function ackP99Bound(before: BotView, after: BotView): number {
  const total = Math.max(...after.acks.values()) - Math.max(0, ...before.acks.values());
  const bound = [...after.acks].find(([le, n]) => n - (before.acks.get(le) ?? 0) >= 0.99 * total);
  return (bound?.[0] ?? Infinity) * 1000;
}

/** The SVP simulator as a child process, driven through its control API. */
export interface RemoteSimulator {
  url: string;
  frontendUrl: string;
  setFault(route: string, fault: object | null): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteSimulator(): Promise<RemoteSimulator> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/sim-server.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.once('data', () => resolve());
    proc.once('exit', () => reject(new Error('the simulator did not start')));
  });
  const url = `http://127.0.0.1:${port}`;
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${url}/__sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`simulator control ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    url,
    frontendUrl: `${url}/frontend`,
    setFault: (route, fault) => control('fault', { route, fault }),
    reset: () => control('reset', {}),
    close: () =>
      new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
