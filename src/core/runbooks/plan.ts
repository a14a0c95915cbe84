/**
 * A runbook as the flat list of steps a run walks through: `runbook` steps are replaced
 * by the steps of the runbook they name, scoped under their id. Also what a dry run shows.
 */
import { describeEndpoint } from '../../svp/endpoints.js';
import type { Figures } from './figures.js';
import type { LeafStep, Runbook } from './schema.js';

export interface PlannedStep {
  /** Unique within the run: the step id, prefixed by its sub-runbook steps (`health.service`). */
  key: string;
  /** Where its figures live: '' at the top, `health.` inside the `health` step's runbook. */
  scope: string;
  step: LeafStep;
  /** Every `when` that must hold, the enclosing runbook steps' first, each read in its own scope. */
  guards: { condition: string; scope: string }[];
  /** Title of the sub-runbook the step belongs to, if any. */
  within?: string;
}

/** Who or what lets a step run: itself, an operator's click, an admin's confirmation, a tick. */
export type Gate = 'auto' | 'operator' | 'admin' | 'tick';

export function gateOf(step: LeafStep): Gate {
  if (step.kind === 'manual') return 'tick';
  return step.effect === 'destructive' ? 'admin' : step.effect === 'mutate' ? 'operator' : 'auto';
}

/** The steps in order, and the default inputs of the sub-runbooks under their scopes. */
export function planRun(runbook: Runbook, resolve: (id: string) => Runbook | undefined): { steps: PlannedStep[]; defaults: Figures } {
  const steps: PlannedStep[] = [];
  const defaults: Figures = {};
  const expand = (rb: Runbook, scope: string, guards: PlannedStep['guards'], within?: string) => {
    for (const step of rb.steps) {
      const own = step.when ? [...guards, { condition: step.when, scope }] : guards;
      if (step.kind !== 'runbook') {
        steps.push({ key: scope + step.id, scope, step, guards: own, within });
        continue;
      }
      // The loader has checked that the sub-runbook exists, has no cycle and needs no input.
      const sub = resolve(step.runbook)!;
      const subScope = `${scope}${step.id}.`;
      for (const input of sub.inputs) if (input.default !== undefined) defaults[subScope + input.name] = input.default;
      expand(sub, subScope, own, sub.title);
    }
  };
  expand(runbook, '', []);
  return { steps, defaults };
}

/** The strongest effect among a plan's steps: what the runbook list shows. */
export function effectOfPlan(plan: PlannedStep[]): LeafStep['effect'] {
  const effects = plan.map((p) => p.step.effect);
  return effects.includes('destructive') ? 'destructive' : effects.includes('mutate') ? 'mutate' : 'read';
}

/** `POST /cognee/warm-up` for steps that call SVP. */
export function callOf(step: LeafStep): string | undefined {
  return step.kind === 'http' || step.kind === 'wait' ? describeEndpoint(step.endpoint) : undefined;
}
