import { defineCommand } from '../src/app/command.js';
import cogneeWarmUp from './cognee-warm-up.js';

/** The same warm-up as `cognee warm-up`, where the cache commands are. */
export default defineCommand({ ...cogneeWarmUp, name: 'cache warm-up', usage: 'cache warm-up', examples: ['/svp cache warm-up'] });
