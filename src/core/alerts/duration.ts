/** Durations as the rules file and the silence command write them: 90s, 5m, 1h30m, 2d. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Milliseconds, or undefined when the text is not a duration. `0` alone means zero. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '0') return 0;
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(PART)) ms += Number(n) * UNIT_MS[unit as Unit];
  return ms;
}

/** The largest unit and the one below it when not zero, e.g. "1h 30m", "5m", "45s". */
export function formatDuration(ms: number): string {
  const units: [Unit, number][] = [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]];
  const first = units.findIndex(([, size]) => ms >= size);
  if (first < 0) return `${Math.max(0, Math.round(ms))}ms`;
  const [unit, size] = units[first]!;
  const whole = Math.floor(ms / size);
  const next = units[first + 1];
  const rest = next ? Math.floor((ms - whole * size) / next[1]) : 0;
  return rest > 0 && next ? `${whole}${unit} ${rest}${next[0]}` : `${whole}${unit}`;
}
