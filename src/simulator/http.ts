/**
 * Small HTTP helpers: replies as values (so handlers stay plain functions), FastAPI-like
 * errors, and request body reading.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  contentType: string;
  body: string;
}

export const json = (status: number, value: unknown): Reply => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
export const ok = (value: unknown) => json(200, value);
export const text = (status: number, body: string, contentType: string): Reply => ({ status, contentType, body });

/** An error answer, thrown from deep inside a handler: `{"detail": ...}` as FastAPI sends it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
  }
}

/** FastAPI's 422 for one bad field; `field` may be a dotted path such as 'record.name'. */
export function invalidField(type: string, field: string, msg: string, input: unknown): HttpError {
  return new HttpError(422, [{ type, loc: ['body', ...field.split('.')], msg, input }]);
}

export function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': reply.contentType });
  res.end(reply.body);
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A request body: empty is `{}` (a bare `curl -X POST`), anything else must be a JSON object. */
export function parseJsonBody(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new HttpError(422, [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: (err as Error).message } }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(422, [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: value }]);
  }
  return value as Record<string, unknown>;
}

/** A body field that must be a non-empty string. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined) throw invalidField('missing', field, 'Field required', body);
  if (typeof value !== 'string' || !value.trim()) throw invalidField('string_type', field, 'Input should be a non-empty string', value);
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField('string_type', field, 'Input should be a valid string', value);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidField('bool_type', field, 'Input should be a valid boolean', value);
  return value;
}
