import { defineCommand } from '../src/app/command.js';
import cogneeStats from './cognee-stats.js';

/** The runbook reads the same cache stats from its Cognee and its cache sections. */
export default defineCommand({ ...cogneeStats, name: 'cache stats', usage: 'cache stats', examples: ['/svp cache stats'] });
