/**
 * Ingestion and sync jobs. A job advances one step per status poll (deterministic, so
 * tests need no clock), then ends as `jobOutcome` said when it started. A completed job
 * changes the world: the AI knows the catalog's products again.
 */
import { randomBytes } from 'node:crypto';
import type { Job, JobKind, SimState } from './state.js';

/** What one ingested product brings into the graph: milestones, risks, owners, dependencies. */
const ENTITIES_PER_PRODUCT = 25;
const RELATIONSHIPS_PER_PRODUCT = 60;
const ACTION_ENTITIES = 150;
const ACTION_RELATIONSHIPS = 300;

export function startJob(state: SimState, kind: JobKind, label: string | null, forceUpdate: boolean): string {
  const id = randomBytes(6).toString('hex');
  state.jobs[id] = { kind, status: 'running', progress: 0, label, polls: 0, endsAs: state.jobOutcome, forceUpdate, startedAt: new Date().toISOString() };
  return id;
}

/** One status poll: advances a running job, finishing it on the last step. */
export function pollJob(state: SimState, job: Job, pollsToFinish: number): void {
  if (job.status !== 'running') return;
  job.polls += 1;
  if (job.polls < pollsToFinish) {
    job.progress = round2(job.polls / pollsToFinish);
    return;
  }
  job.finishedAt = new Date().toISOString();
  if (job.endsAs === 'failed') {
    job.status = 'failed';
    job.error = failureText(state, job.kind);
    return;
  }
  job.status = 'completed';
  job.progress = 1;
  job.created = createdBy(state, job.kind);
  state.cognee.entities += job.created.entities;
  state.cognee.relationships += job.created.relationships;
  if (job.kind !== 'actions') state.products = state.catalog.map((p) => p.name);
}

/** The job as GET /cognee/ingest/status/:jobId shows it. */
export function jobView(id: string, job: Job): Record<string, unknown> {
  const view: Record<string, unknown> = {
    job_id: id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    time_window_label: job.label,
    force_update: job.forceUpdate,
    started_at: job.startedAt,
    message: job.status === 'running' ? `Ingesting ${job.kind}` : job.status === 'completed' ? 'Ingestion completed' : `Ingestion failed: ${job.error}`,
  };
  if (job.finishedAt) view.finished_at = job.finishedAt;
  if (job.created) Object.assign(view, { entities_created: job.created.entities, relationships_created: job.created.relationships });
  if (job.error) view.error = job.error;
  return view;
}

function createdBy(state: SimState, kind: JobKind): { entities: number; relationships: number } {
  if (kind === 'actions') return { entities: ACTION_ENTITIES, relationships: ACTION_RELATIONSHIPS };
  return { entities: state.catalog.length * ENTITIES_PER_PRODUCT, relationships: state.catalog.length * RELATIONSHIPS_PER_PRODUCT };
}

/** The runbook's most common ingestion error, naming the entity it tripped on. */
function failureText(state: SimState, kind: JobKind): string {
  if (kind === 'actions') return 'Entity already exists: Action "ACT-1042"';
  return `Entity already exists: Product "${state.catalog[0]?.name ?? 'Product X'}"`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
