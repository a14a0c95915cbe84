import { defineCommand } from '../src/app/command.js';
import { z } from 'zod';
import { helpMessage } from '../src/views/help.js';

export default defineCommand({
  name: 'help',
  usage: 'help [command]',
  summary: 'Every command with an example, and what you may run',
  examples: ['/svp help', '/svp help cognee'],
  args: z.string().transform((s) => s.trim().toLowerCase()),
  effect: 'read',
  async run({ services, role }, topic) {
    const group = topic && services.commands.some((c) => c.name.split(' ')[0] === topic) ? topic : undefined;
    return helpMessage(services.commands, role, { group, intro: topic && !group ? `No command \`${topic.slice(0, 30).replace(/`/g, '')}\`; here are all of them.` : undefined });
  },
});
