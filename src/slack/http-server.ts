/**
 * Our own HTTP server in front of Bolt's receiver. Bolt 5 leaves a request hanging (and a
 * promise rejected) when a delivery's body parses to something other than an object —
 * `payload=null`, say. We read the body once, answer such bodies 400 at once, and hand
 * everything else to Bolt already buffered (Bolt reads `rawBody` when it is there).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const MAX_BODY = 4 * 1024 * 1024;

/**
 * Idle connections stay open this long. Load balancers commonly hold theirs for 60 s; a
 * server that closes first races the balancer's next request on that connection (a 502).
 * And each new connection costs a turn of a busy event loop: libuv accepts one connection
 * per turn, so a burst of new ones waits in the accept queue while the bot works.
 */
const KEEP_ALIVE_MS = 65_000;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** True when Bolt can parse the body into an object (or it is for another route). */
export function boltCanParse(body: string, contentType: string): boolean {
  try {
    if (contentType.startsWith('application/json')) return isObject(JSON.parse(body));
    const payload = new URLSearchParams(body).get('payload');
    return payload === null || isObject(JSON.parse(payload));
  } catch {
    return false;
  }
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `answered` hears how long each POST took from arrival to its HTTP answer, in ms. */
export function createGuardedServer(bolt: Listener, answered: (ms: number) => void = () => {}): Server {
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    if (req.method !== 'POST') return bolt(req, res);
    const arrived = performance.now();
    res.once('finish', () => answered(performance.now() - arrived));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      // Draining (the server no longer listens): the answer closes its connection, so a load
      // balancer sends what comes next to another replica and the drain is not held open.
      if (!server.listening) res.setHeader('connection', 'close');
      const raw = Buffer.concat(chunks);
      if (!boltCanParse(raw.toString('utf8'), String(req.headers['content-type'] ?? ''))) {
        res.writeHead(400).end();
        return;
      }
      (req as IncomingMessage & { rawBody: Buffer }).rawBody = raw;
      bolt(req, res);
    });
    req.on('error', () => res.destroy());
  });
  return server;
}
