/** Argument schemas shared by commands. Each error message says what was expected. */
import { z } from 'zod';

export const noArgs = z.string().refine((s) => s.trim() === '', 'takes no arguments');

export const text = (what: string, max = 500) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, `expected ${what}`).max(max, `expected ${what} of at most ${max} characters`));

/** An id SVP issued (job, product): letters, digits, - and _, never a path. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const id = (what: string) => z.string().regex(ID, `expected ${what}: 1–64 letters, digits, - or _`);

/** Splits on white space and hands the words to a tuple (or other) schema. */
export const words = <T>(schema: z.ZodType<T, string[]>) =>
  z.string().transform((s) => s.trim().split(/\s+/).filter(Boolean)).pipe(schema);

/** A choice of sub-words, e.g. `products|actions`. */
export const oneOf = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z.string().refine((s): s is T => (values as readonly string[]).includes(s), `expected ${what}: ${values.join(' or ')}`) as unknown as z.ZodType<T, string>;
