import { defineCommand } from '../src/app/command.js';
import { noArgs } from '../src/app/args.js';
import { untrusted } from '../src/core/message.js';

export default defineCommand({
  name: 'version',
  usage: 'version',
  summary: 'The deployed version of the AI service (GET /version)',
  examples: ['/svp version'],
  args: noArgs,
  effect: 'read',
  visibility: 'channel',
  async run({ services }) {
    const { data } = await services.svp.call('version');
    const version = data.version ? untrusted(data.version) : 'not reported';
    const fields = [
      { label: 'Version', value: `\`${version}\`` },
      { label: 'Commit', value: data.commit ? `\`${untrusted(data.commit).slice(0, 12)}\`` : 'not reported' },
      { label: 'Deployed', value: data.deployed_at ? untrusted(data.deployed_at) : 'not reported' },
      ...(data.previous ? [{ label: 'Previous', value: `\`${untrusted(data.previous)}\`` }] : []),
    ];
    return {
      text: `SVP AI service version ${version}`,
      visibility: 'channel' as const,
      parts: [{ type: 'fields' as const, fields }, { type: 'context' as const, text: `GET /version · ${services.svp.target}` }],
    };
  },
});
