import { z } from 'zod';
import { defineCommand } from '../src/app/command.js';
import { parseDuration } from '../src/core/alerts/duration.js';
import { silencedMessage } from '../src/views/alerts.js';

const MAX_SILENCE_MS = 7 * 86_400_000;

/** `<rule> <duration> [reason]`, e.g. `HighErrorRate 2h deploying the fix`. */
const args = z
  .string()
  .transform((s) => {
    const [rule = '', duration = '', ...reason] = s.trim().split(/\s+/);
    return { rule, durationMs: parseDuration(duration), reason: reason.join(' ') };
  })
  .pipe(
    z.object({
      rule: z.string().min(1, 'expected a rule name, e.g. HighErrorRate'),
      durationMs: z.number({ error: 'expected a duration such as 30m or 2h' }).min(60_000, 'expected a duration of at least 1m').max(MAX_SILENCE_MS, 'expected a duration of at most 7d'),
      reason: z.string().max(200, 'expected a reason of at most 200 characters'),
    }),
  );

export default defineCommand({
  name: 'alerts silence',
  usage: 'alerts silence <rule> <duration> [reason]',
  summary: 'Silence an alert rule for a while (its expiry is announced); the rule is still evaluated',
  examples: ['/svp alerts silence HighErrorRate 2h deploying the fix', '/svp alerts silence LowCacheHitRate 30m'],
  args,
  effect: 'mutate',
  visibility: 'channel',
  async run({ services, actor }, { rule: name, durationMs, reason }) {
    const rule = services.alerts.rule(name);
    const state = await services.alerts.silence(rule, { until: services.clock.now() + durationMs, by: actor.userId, reason: reason || undefined });
    return silencedMessage(rule, state);
  },
});
