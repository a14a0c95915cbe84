/** Every subcommand, one file each. A new subcommand is one file plus one line here. */
import type { CommandDef } from '../src/app/command.js';
import help from './help.js';
import health from './health.js';
import metrics from './metrics.js';
import ask from './ask.js';
import version from './version.js';
import cogneeHealth from './cognee-health.js';
import cogneeStats from './cognee-stats.js';
import cogneeWarmUp from './cognee-warm-up.js';
import cogneeIngest from './cognee-ingest.js';
import cogneeStatus from './cognee-status.js';
import cogneeDiagnostics from './cognee-diagnostics.js';
import cogneeEntities from './cognee-entities.js';
import cogneeQuery from './cognee-query.js';
import cogneeReset from './cognee-reset.js';
import cacheStats from './cache-stats.js';
import cacheWarmUp from './cache-warm-up.js';
import cacheClear from './cache-clear.js';
import cacheClearExpired from './cache-clear-expired.js';
import syncTest from './sync-test.js';
import syncIngest from './sync-ingest.js';
import syncCheck from './sync-check.js';
import debug from './debug.js';
import audit from './audit.js';
import digest from './digest.js';
import alerts from './alerts.js';
import alertsSilence from './alerts-silence.js';
import incidentDeclare from './incident-declare.js';
import incidentList from './incident-list.js';
import incidentStatus from './incident-status.js';
import incidentNote from './incident-note.js';
import incidentSeverity from './incident-severity.js';
import incidentCommander from './incident-commander.js';
import incidentResolve from './incident-resolve.js';
import incidentPostmortem from './incident-postmortem.js';
import runbook from './runbook.js';
import deployVerify from './deploy-verify.js';
import rollbackCheck from './rollback-check.js';

export const commands: CommandDef<any>[] = [help, health, metrics, ask, version,
  cogneeHealth, cogneeStats, cogneeWarmUp, cogneeIngest, cogneeStatus, cogneeDiagnostics, cogneeEntities, cogneeQuery, cogneeReset,
  cacheStats, cacheWarmUp, cacheClear, cacheClearExpired, syncTest, syncIngest, syncCheck, debug, audit,
  digest, alerts, alertsSilence,
  incidentDeclare, incidentList, incidentStatus, incidentNote, incidentSeverity, incidentCommander, incidentResolve, incidentPostmortem,
  runbook, deployVerify, rollbackCheck];
