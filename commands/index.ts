/** Every subcommand, one file each. A new subcommand is one file plus one line here. */
import type { CommandDef } from '../src/app/command.js';
import help from './help.js';
import health from './health.js';
import metrics from './metrics.js';
import ask from './ask.js';
import version from './version.js';

export const commands: CommandDef<any>[] = [help, health, metrics, ask, version];
