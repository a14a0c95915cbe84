/** `/sim …` in the console: switch the built-in simulator between healthy and failing. */
import type { Fault, Simulator } from '../simulator/index.js';

const PRESETS = ['healthy', 'degraded', 'cold-cache', 'overloaded', 'down', 'high-memory', 'slow-ai'] as const;

export const SIM_HELP = [
  '/sim status                      what the simulator is doing now',
  `/sim preset <${PRESETS.join('|')}>`,
  '/sim fault <route|*> unavailable|hang|malformed|reset',
  '/sim fault <route|*> slow <ms>   /sim fault <route|*> error <status>',
  '/sim clear [route]               remove faults (all, or one route)',
  '/sim jobs fail|complete          how new ingestion jobs end',
  '/sim reset                       back to healthy',
  'Routes are SVP paths, e.g. /api/health/db, /cognee/health, /ai/query, /metrics, /frontend',
].join('\n');

export function parseFault(kind: string | undefined, arg: string | undefined): Fault | string {
  switch (kind) {
    case 'unavailable':
    case 'hang':
    case 'malformed':
    case 'reset':
      return { kind };
    case 'slow':
      return arg && /^\d+$/.test(arg) ? { kind: 'slow', ms: Number(arg) } : 'slow needs milliseconds, e.g. /sim fault /ai/query slow 4000';
    case 'error':
      return arg && /^[45]\d\d$/.test(arg) ? { kind: 'error', status: Number(arg) } : 'error needs an HTTP status, e.g. /sim fault /api/health/db error 503';
    default:
      return `unknown fault "${kind ?? ''}": unavailable, hang, malformed, reset, slow <ms> or error <status>`;
  }
}

export function simulatorCommand(sim: Simulator | undefined, text: string): string {
  if (!sim) return 'The console is talking to a real SVP (SVP_API_URL), not the simulator: /sim does nothing.';
  const [verb, a, b, c] = text.split(/\s+/).filter(Boolean);
  switch (verb) {
    case undefined:
    case 'help':
      return SIM_HELP;
    case 'status':
      return sim.describe();
    case 'reset':
      sim.reset();
      return 'Simulator reset: healthy, no faults.';
    case 'preset':
      if (!PRESETS.includes(a as (typeof PRESETS)[number])) return `Presets: ${PRESETS.join(', ')}`;
      sim.preset(a as (typeof PRESETS)[number]);
      return `Simulator preset: ${a}.`;
    case 'fault': {
      if (!a) return SIM_HELP;
      const fault = parseFault(b, c);
      if (typeof fault === 'string') return fault;
      sim.setFault(a, fault);
      return `Fault set: ${a} → ${b}${c ? ` ${c}` : ''}.`;
    }
    case 'clear':
      sim.setFault(a ?? '*', null);
      return a ? `Faults cleared on ${a}.` : 'All faults cleared.';
    case 'jobs':
      if (a !== 'fail' && a !== 'complete') return '/sim jobs fail|complete';
      sim.state.jobOutcome = a === 'fail' ? 'failed' : 'completed';
      return `New ingestion jobs will ${a === 'fail' ? 'fail' : 'complete'}.`;
    default:
      return SIM_HELP;
  }
}
