/**
 * Secrets (tokens, signing secret, Groq key, database password) must never leave the
 * process in a message or a log line. Config registers them at start; every renderer and
 * the logger pass their output through redactSecrets. Process-wide on purpose: a secret
 * is a secret for every bot in the process.
 */
const patterns: RegExp[] = [];

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function registerSecrets(secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    // Renderers may slip a zero-width space before markup characters; match through them.
    const source = [...secret].map(escape).join('\u200B?');
    if (!patterns.some((p) => p.source === source)) patterns.push(new RegExp(source, 'g'));
  }
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of patterns) out = out.replace(pattern, '[redacted]');
  return out;
}
