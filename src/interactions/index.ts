/** Every button and checkbox handler, registered in one place. */
import type { ActionDef } from '../app/command.js';
import { confirmAction, cancelAction } from './confirm.js';
import { rerunHealthAction } from './health.js';
import { silenceAlertAction } from './alerts.js';
import { tickMaintenanceAction } from './maintenance.js';
import { declareAction, postmortemDoneAction, resolveAction, snoozeAction, tickAction } from './incident.js';
import { cancelRunAction, pauseRunAction, resumeRunAction, runStepAction, startRunbookAction, tickStepAction } from './runbook.js';

export const actions: ActionDef[] = [confirmAction, cancelAction, rerunHealthAction, silenceAlertAction, tickMaintenanceAction,
  tickAction, resolveAction, postmortemDoneAction, snoozeAction, declareAction,
  runStepAction, tickStepAction, pauseRunAction, resumeRunAction, cancelRunAction, startRunbookAction];
