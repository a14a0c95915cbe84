/**
 * Switchable failures, applied before a route's handler runs: each one imitates a way the
 * real service (behind Render's proxy) fails, so the bot's handling of it can be watched.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';

/** The runbook path template of a route, e.g. '/cognee/ingest/status/:jobId' or '/frontend'. */
export type RouteKey = string;

export type Fault =
  | { kind: 'unavailable' } // 503 with a Render-like HTML body
  | { kind: 'error'; status: number; body?: string } // e.g. 500 with {"detail":"..."}
  | { kind: 'slow'; ms: number } // answers normally after ms
  | { kind: 'hang' } // never answers (until the client gives up or the server closes)
  | { kind: 'malformed' } // 200, application/json, body not JSON
  | { kind: 'reset' } // destroys the socket without a response
  | { kind: 'huge'; bytes: number }; // 200 JSON body of that many bytes

/** For faults that arrive as JSON through the control API. */
export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unavailable') }),
  z.object({ kind: z.literal('error'), status: z.number().int().min(400).max(599), body: z.string().optional() }),
  z.object({ kind: z.literal('slow'), ms: z.number().int().min(0).max(600_000) }),
  z.object({ kind: z.literal('hang') }),
  z.object({ kind: z.literal('malformed') }),
  z.object({ kind: z.literal('reset') }),
  z.object({ kind: z.literal('huge'), bytes: z.number().int().min(0).max(100_000_000) }),
]) satisfies z.ZodType<Fault>;

const RENDER_UNAVAILABLE_PAGE = `<!DOCTYPE html>
<html><head><title>Service Unavailable</title></head>
<body><h1>503 Service Unavailable</h1>
<p>This service is currently unavailable. It may be starting up or suspended; please try again later.</p>
</body></html>`;

/**
 * Applies a fault to a request. Returns 'answered' when the fault took over the response
 * (or deliberately never gives one), 'continue' when the route should answer as usual.
 */
export async function applyFault(fault: Fault, res: ServerResponse): Promise<'answered' | 'continue'> {
  switch (fault.kind) {
    case 'unavailable':
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'x-render-routing': 'no-server' });
      res.end(RENDER_UNAVAILABLE_PAGE);
      return 'answered';
    case 'error': {
      const body = fault.body ?? JSON.stringify({ detail: 'Internal Server Error' });
      res.writeHead(fault.status, { 'content-type': isJson(body) ? 'application/json' : 'text/plain; charset=utf-8' });
      res.end(body);
      return 'answered';
    }
    case 'slow':
      await delayUnlessClosed(fault.ms, res);
      return res.destroyed ? 'answered' : 'continue';
    case 'hang':
      // The socket stays open; the server destroys it on close().
      return 'answered';
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status": "healthy", "timestamp": "2026-01-04T10:3');
      return 'answered';
    case 'reset':
      res.socket?.resetAndDestroy();
      return 'answered';
    case 'huge':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(jsonOfSize(fault.bytes));
      return 'answered';
  }
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'unavailable':
      return '503 unavailable';
    case 'error':
      return `error ${fault.status}`;
    case 'slow':
      return `slow ${fault.ms} ms`;
    case 'huge':
      return `huge ${fault.bytes} bytes`;
    default:
      return fault.kind;
  }
}

/** Waits ms, or less if the client goes away first (so close() is not held up by a timer). */
function delayUnlessClosed(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

/** `{"data":"xxx…"}` padded to exactly `bytes` bytes (or the smallest such document). */
function jsonOfSize(bytes: number): string {
  const frame = '{"data":""}';
  return `{"data":"${'x'.repeat(Math.max(0, bytes - frame.length))}"}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
