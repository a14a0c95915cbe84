import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { assembleDigest } from '../src/core/digest.js';
import { digestMessage } from '../src/views/digest.js';

export default defineCommand({
  name: 'digest',
  usage: 'digest',
  summary: 'The daily health digest, now: health, key metrics and their change, incidents, alerts, maintenance due',
  examples: ['/svp digest'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    // A digest by hand leaves the scheduled digest's baseline alone.
    return digestMessage(await assembleDigest(services, services.clock.now(), { keepAsBaseline: false }));
  },
});
