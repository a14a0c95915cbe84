/**
 * The control API under /__sim/, for tests and benches that run the simulator in another
 * process. Its calls are not recorded and no fault applies to them.
 */
import { FaultSchema, type Fault, type RouteKey } from './faults.js';
import { HttpError, json, ok, parseJsonBody, type Reply } from './http.js';
import { isPresetName, PRESETS, type PresetName } from './presets.js';
import type { SimCall } from './server.js';
import type { SimState } from './state.js';

export interface ControlTarget {
  state: SimState;
  calls: SimCall[];
  setFault(route: RouteKey | '*', fault: Fault | null): void;
  preset(name: PresetName): void;
  reset(): void;
}

export function handleControl(sim: ControlTarget, method: string, pathname: string, rawBody: string): Reply {
  const action = `${method} ${pathname.replace(/\/$/, '')}`;
  switch (action) {
    case 'POST /__sim/fault': {
      const body = parseJsonBody(rawBody);
      if (typeof body.route !== 'string') throw new HttpError(400, 'route must be a route key such as "/health", or "*"');
      const fault = body.fault === null || body.fault === undefined ? null : FaultSchema.safeParse(body.fault);
      if (fault && !fault.success) throw new HttpError(400, `fault is not valid: ${fault.error.message}`);
      try {
        sim.setFault(body.route, fault ? fault.data : null);
      } catch (err) {
        throw new HttpError(400, (err as Error).message);
      }
      return ok({ ok: true });
    }
    case 'POST /__sim/preset': {
      const { name } = parseJsonBody(rawBody);
      if (!isPresetName(name)) throw new HttpError(400, `name must be one of: ${Object.keys(PRESETS).join(', ')}`);
      sim.preset(name);
      return ok({ ok: true });
    }
    case 'POST /__sim/reset':
      sim.reset();
      return ok({ ok: true });
    case 'PATCH /__sim/state': {
      const patch = parseJsonBody(rawBody);
      mergePatch(sim.state as unknown as Record<string, unknown>, patch, '', false); // validate all before changing anything
      mergePatch(sim.state as unknown as Record<string, unknown>, patch, '', true);
      return ok(sim.state);
    }
    case 'GET /__sim/state':
      return ok(sim.state);
    case 'GET /__sim/calls':
      return ok(sim.calls);
    default:
      return json(404, { detail: `No control endpoint ${action}` });
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields the world defines may be changed but not retyped; only `jobs` takes new keys (new job ids). */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>, path: string, apply: boolean): void {
  for (const [key, value] of Object.entries(patch)) {
    const where = path ? `${path}.${key}` : key;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new HttpError(400, `${where} is not a state field`);
    const current = target[key];
    const extensible = path === 'jobs' || path.startsWith('jobs.');
    if (current === undefined && !extensible) throw new HttpError(400, `${where} is not a state field`);
    if (isPlainObject(value) && isPlainObject(current)) {
      mergePatch(current, value, where, apply);
      continue;
    }
    if (current !== undefined && kindOf(current) !== kindOf(value)) throw new HttpError(400, `${where} must be ${kindOf(current)}, got ${kindOf(value)}`);
    if (apply) target[key] = value;
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
