/**
 * One circuit breaker per SVP area (cockatiel): after repeated failures of, say, Cognee,
 * commands stop paying its full timeout and say at once that the area is failing, until a
 * trial call after `halfOpenMs` shows it is back.
 */
import { circuitBreaker, ConsecutiveBreaker, handleWhen, BrokenCircuitError, CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import { endpoints, type EndpointName } from './endpoints.js';

export type Area = 'service' | 'cognee' | 'sync' | 'cache' | 'debug' | 'frontend';

export function areaOf(name: EndpointName): Area {
  const e: { path: string; base?: string } = endpoints[name];
  if (e.base === 'frontend') return 'frontend';
  if (e.path.startsWith('/cognee')) return 'cognee';
  if (e.path.startsWith('/api/sync')) return 'sync';
  if (e.path.startsWith('/cache')) return 'cache';
  if (e.path.startsWith('/debug')) return 'debug';
  return 'service';
}

export interface BreakerOptions {
  /** Consecutive failures that open the circuit; 0 disables breaking. */
  threshold: number;
  halfOpenMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, halfOpenMs: 30_000 };

export class Breakers {
  private readonly policies = new Map<Area, CircuitBreakerPolicy>();

  constructor(private readonly opts: BreakerOptions, private readonly isOutage: (err: unknown) => boolean) {}

  /** Runs fn through the area's breaker; throws BrokenCircuitError while it is open. */
  async run<T>(name: EndpointName, fn: () => Promise<T>): Promise<T> {
    if (this.opts.threshold <= 0) return fn();
    return this.policy(areaOf(name)).execute(fn);
  }

  /** Areas whose circuit is open now, for /healthz. */
  openAreas(): Area[] {
    return [...this.policies].filter(([, p]) => p.state === CircuitState.Open).map(([area]) => area);
  }

  private policy(area: Area): CircuitBreakerPolicy {
    let policy = this.policies.get(area);
    if (!policy) {
      policy = circuitBreaker(handleWhen(this.isOutage), { halfOpenAfter: this.opts.halfOpenMs, breaker: new ConsecutiveBreaker(this.opts.threshold) });
      this.policies.set(area, policy);
    }
    return policy;
  }
}

export const isBrokenCircuit = (err: unknown) => err instanceof BrokenCircuitError;
