/**
 * The simulator's HTTP server: records every request, applies the fault switched on for
 * its route, then lets the route answer from the shared world.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control.js';
import { describeSimulator } from './describe.js';
import { applyFault, type Fault, type RouteKey } from './faults.js';
import { BodyTooLarge, HttpError, json, parseJsonBody, readBody, send, type Reply } from './http.js';
import { isPresetName, PRESETS, presetState, type PresetName } from './presets.js';
import { matchRoute, ROUTE_KEYS } from './routes.js';
import { createHealthyState, replaceState, type SimState } from './state.js';

export interface SimCall {
  method: string;
  /** The request target as received, query string included. */
  path: string;
  /** The route's path template; the path itself when no route matches. */
  route: RouteKey;
  /** The parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  at: number;
}

export interface Simulator {
  /** Base URL of the AI service, without a trailing slash. */
  url: string;
  /** The frontend, served by the same server under `${url}/frontend/`. */
  frontendUrl: string;
  /** The world; tests may change its fields directly. */
  state: SimState;
  /** Every request received, in order (control API calls excepted). */
  calls: SimCall[];
  /** `'*'` applies to every route (a route's own fault wins); `null` clears. */
  setFault(route: RouteKey | '*', fault: Fault | null): void;
  /** Replaces the world and the faults with the preset's. */
  preset(name: PresetName): void;
  /** Healthy, no faults, calls cleared. */
  reset(): void;
  describe(): string;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** Status polls before an ingestion job finishes (default 3). */
  jobPollsToFinish?: number;
}

const MAX_REQUEST_BYTES = 1_000_000;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const jobPollsToFinish = opts.jobPollsToFinish ?? 3;
  if (!Number.isInteger(jobPollsToFinish) || jobPollsToFinish < 1) throw new RangeError('jobPollsToFinish must be a whole number of at least 1');

  const state = createHealthyState();
  const calls: SimCall[] = [];
  const faults = new Map<RouteKey, Fault>();
  let currentPreset: PresetName = 'healthy';

  const sim = {
    state,
    calls,
    setFault(route: RouteKey, fault: Fault | null) {
      if (route !== '*' && !ROUTE_KEYS.has(route)) {
        throw new Error(`Unknown route "${route}": use a path template such as "/health" or "/cognee/ingest/status/:jobId", or "*"`);
      }
      if (fault) faults.set(route, fault);
      else faults.delete(route);
    },
    preset(name: PresetName) {
      if (!isPresetName(name)) throw new Error(`Unknown preset "${String(name)}": use one of ${Object.keys(PRESETS).join(', ')}`);
      replaceState(state, presetState(name));
      faults.clear();
      for (const [route, fault] of Object.entries(PRESETS[name].faults ?? {})) faults.set(route, fault);
      currentPreset = name;
    },
    reset() {
      sim.preset('healthy');
      calls.length = 0;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const url = new URL(target, 'http://simulator');
    let raw: string;
    try {
      raw = await readBody(req, MAX_REQUEST_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      return send(res, json(413, { detail: 'Request body too large' }));
    }
    if (url.pathname.startsWith('/__sim/')) return send(res, answer(() => handleControl(sim, method, url.pathname, raw)));

    const match = matchRoute(method, url.pathname);
    const route = match.found === 'route' ? match.route.key : match.found === 'path' ? match.key : url.pathname;
    calls.push({ method, path: target, route, body: recordedBody(raw), at: Date.now() });

    const fault = faults.get(route) ?? faults.get('*');
    if (fault && (await applyFault(fault, res)) === 'answered') return;
    if (match.found === 'none') return send(res, json(404, { detail: 'Not Found' }));
    if (match.found === 'path') return send(res, json(405, { detail: 'Method Not Allowed' }));
    const { route: matched, params } = match;
    send(
      res,
      answer(() =>
        matched.handle({
          state,
          body: method === 'POST' ? parseJsonBody(raw) : {},
          params,
          query: url.searchParams,
          accept: req.headers.accept ?? '',
          jobPollsToFinish,
        }),
      ),
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the simulator: say so loudly, answer like a crashed FastAPI handler.
      console.error('svp simulator: unexpected error', err);
      if (res.headersSent) res.destroy();
      else send(res, json(500, { detail: 'Internal Server Error' }));
    });
  });
  // Tracked so close() can end connections that a 'hang' fault (or keep-alive) holds open.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    ...sim,
    url: baseUrl,
    frontendUrl: `${baseUrl}/frontend`,
    describe: () => describeSimulator({ url: baseUrl, preset: currentPreset, state, faults, calls: calls.length }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Turns an HttpError thrown by a handler into its `{"detail": ...}` answer. */
function answer(produce: () => Reply): Reply {
  try {
    return produce();
  } catch (err) {
    if (err instanceof HttpError) return json(err.status, { detail: err.detail });
    throw err;
  }
}

function recordedBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
