/**
 * A one-paragraph account of the simulator for the console: the preset, what differs from
 * it, and the faults switched on.
 */
import { describeFault, type Fault, type RouteKey } from './faults.js';
import { PRESETS, presetState, type PresetName } from './presets.js';
import type { SimState } from './state.js';

/** Leaf fields as 'metrics.error_rate' → value; mirrored gauges (accessors) and jobs are left out. */
function leaves(value: Record<string, unknown>, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    const where = path ? `${path}.${key}` : key;
    if (descriptor.get || where === 'jobs') continue;
    const v: unknown = descriptor.value;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, leaf] of leaves(v as Record<string, unknown>, where)) out.set(k, leaf);
    } else {
      out.set(where, v);
    }
  }
  return out;
}

const shown = (v: unknown) => (Array.isArray(v) ? `[${v.length} items]` : JSON.stringify(v));

export function describeSimulator(args: { url: string; preset: PresetName; state: SimState; faults: Map<RouteKey, Fault>; calls: number }): string {
  const expected = leaves(presetState(args.preset) as unknown as Record<string, unknown>);
  const overrides = [...leaves(args.state as unknown as Record<string, unknown>)]
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(expected.get(key)))
    .map(([key, value]) => `${key}=${shown(value)}`);
  const faults = [...args.faults].map(([route, fault]) => `${route} → ${describeFault(fault)}`);
  return [
    `Simulated Studio Pilot Vision at ${args.url}, preset "${args.preset}" (${PRESETS[args.preset].about}).`,
    overrides.length ? `Overrides: ${overrides.join(', ')}.` : 'No overrides.',
    faults.length ? `Faults: ${faults.join('; ')}.` : 'No faults.',
    `${args.calls} request${args.calls === 1 ? '' : 's'} received.`,
  ].join(' ');
}
