/**
 * JSON-lines logging (pino). Every line passes through a last filter that blanks known
 * secrets (src/secrets.ts), so a token that slips into an error still never reaches the log.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { redactSecrets, registerSecrets } from './secrets.js';

export type { Logger };

export function createLogger(opts: { level: string; secrets: readonly string[]; destination?: DestinationStream }): Logger {
  registerSecrets(opts.secrets);
  return pino(
    {
      level: opts.level,
      base: { app: 'svp-ops' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: redactSecrets },
      // Field names that carry credentials, should an object be logged whole.
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'signingSecret', 'password'], censor: '[redacted]' },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
