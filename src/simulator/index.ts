/**
 * The built-in simulator of Studio Pilot Vision: the runbook's endpoints over real HTTP,
 * with presets and switchable faults. The console uses it when no SVP_API_URL is given;
 * every test uses it as the fake SVP.
 */
export { startSimulator, type Simulator, type SimCall, type SimulatorOptions } from './server.js';
export type { Fault, RouteKey } from './faults.js';
export { PRESETS, type PresetName } from './presets.js';
export { ROUTE_KEYS } from './routes.js';
export type { SimState, Job, JobKind, JobOutcome, CatalogProduct, Metrics, ProfileBreakdown, ConfidenceScores } from './state.js';
