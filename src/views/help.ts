/** Help, generated from the command definitions, marked with what the reader may run. */
import type { CommandDef, Role } from '../app/command.js';
import { roleFor } from '../app/command.js';
import { allows } from '../app/roles.js';
import type { Message, Part } from '../core/message.js';

const roleName: Record<Role, string> = { everyone: 'everyone', operator: 'operators', admin: 'admins' };

export function helpMessage(commands: readonly CommandDef<any>[], role: Role, opts: { intro?: string; group?: string } = {}): Message {
  const shown = commands.filter((c) => !opts.group || c.name.split(' ')[0] === opts.group);
  const groups = new Map<string, CommandDef<any>[]>();
  for (const c of shown) {
    const key = c.name.split(' ')[0]!;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lines = [...groups.values()].map((cs) =>
    cs
      .map((c) => {
        const needed = c.permission ?? roleFor[c.effect];
        const lock = allows(role, needed) ? '' : ` :lock: _${roleName[needed]} only_`;
        const danger = c.effect === 'destructive' ? ' :warning: asks for confirmation' : '';
        return `\`/svp ${c.usage}\` — ${c.summary}${danger}${lock}\n      e.g. \`${c.examples[0] ?? `/svp ${c.name}`}\``;
      })
      .join('\n'),
  );
  const parts: Part[] = [{ type: 'header', text: opts.group ? `/svp ${opts.group} commands` : 'svp-ops: the SVP runbook in Slack' }];
  if (opts.intro) parts.push({ type: 'text', text: opts.intro });
  // One section per group keeps each text object far below Slack's 3000-character limit.
  for (const block of lines) parts.push({ type: 'text', text: block });
  parts.push({ type: 'context', text: `You are ${role === 'everyone' ? 'a reader' : `an ${role}`}. Anything else after /svp is matched against the runbooks' symptoms.` });
  return {
    text: `${opts.intro ? `${opts.intro} ` : ''}svp-ops commands: ${shown.map((c) => c.name).join(', ')}`,
    parts,
    visibility: 'ephemeral',
  };
}
