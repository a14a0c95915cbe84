/** Every button and checkbox handler, registered in one place. */
import type { ActionDef } from '../app/command.js';
import { confirmAction, cancelAction } from './confirm.js';
import { rerunHealthAction } from './health.js';

export const actions: ActionDef[] = [confirmAction, cancelAction, rerunHealthAction];
