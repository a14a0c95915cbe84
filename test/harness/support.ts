/** Small test helpers shared by unit and end-to-end tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Clock } from '../../src/app/services.js';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 28, 9, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Collects every log line, to assert on and to search for secrets. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'svp-ops-test-')), 'svp-ops.db');
}

/** What a person sees of a Slack message: its text, then every text in its blocks, one per line. */
export function visibleText(message: { text: string; blocks: Array<Record<string, any>> }): string {
  const texts = message.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: { text: string }) => f.text), ...(b.elements ?? []).map((e: { text?: { text?: string } | string }) => (typeof e.text === 'string' ? e.text : e.text?.text))]);
  return [message.text, ...texts.filter((t): t is string => typeof t === 'string')].join('\n');
}

/** Polls an async probe every 10 ms until it holds; after `timeoutMs` throws, saying what never happened. */
export async function eventually(probe: () => Promise<boolean>, what: string | (() => string), timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(typeof what === 'string' ? what : what());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
