/**
 * The application's front door, the same for Slack and the console: text in, plain
 * Message out. It resolves the subcommand, parses arguments, checks the role, makes
 * deliveries exactly-once, asks for confirmation of destructive steps, audits, and turns
 * every failure into a reply with a correlation id.
 */
import { randomBytes } from 'node:crypto';
import { isOpsError } from '../errors.js';
import { redactSecrets } from '../secrets.js';
import { note, untrusted, type Message } from '../core/message.js';
import { helpMessage } from '../views/help.js';
import { confirmationMessage } from '../views/confirmation.js';
import { allows } from './roles.js';
import { roleFor, type ActionDef, type Actor, type Click, type CommandDef, type Context, type Surface } from './command.js';
import type { Services } from './services.js';

export interface CommandInput {
  text: string;
  actor: Actor;
  surface: Surface;
  /** Unique per delivery (Slack: trigger_id); a retry carries the same key. */
  deliveryKey?: string;
}

export interface ActionInput {
  actionId: string;
  click: Click;
  actor: Actor;
  surface: Surface;
  deliveryKey?: string;
}

/** Free-text input that names no command: triage hooks in here. */
export type Fallback = (ctx: Context, text: string) => Promise<Message | undefined>;

const MAX_INPUT = 4000;

export class Dispatcher {
  private fallback?: Fallback;
  /** Every command name and alias as words, longest first: the first match is the longest. */
  private readonly names: { command: CommandDef<any>; words: string[] }[];

  constructor(
    private readonly services: Services,
    private readonly commands: readonly CommandDef<any>[],
    private readonly actions: readonly ActionDef[],
  ) {
    this.names = commands
      .flatMap((command) => [command.name, ...(command.aliases ?? [])].map((name) => ({ command, words: name.split(' ') })))
      .sort((a, b) => b.words.length - a.words.length);
  }

  setFallback(fallback: Fallback): void {
    this.fallback = fallback;
  }

  /** Resolves the longest command name that starts the text. */
  resolve(text: string): { command?: CommandDef<any>; rest: string; group?: string } {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const lower = words.slice(0, this.names[0]?.words.length ?? 0).map((w) => w.toLowerCase());
    const best = this.names.find((name) => name.words.every((w, i) => lower[i] === w));
    if (best) return { command: best.command, rest: words.slice(best.words.length).join(' ') };
    const first = lower[0];
    const group = this.commands.some((c) => c.name.split(' ')[0] === first && c.name.includes(' ')) ? first : undefined;
    return { rest: text.trim(), group };
  }

  async command(input: CommandInput): Promise<Message | undefined> {
    const ctx = await this.context(input.actor, input.surface);
    // A secret pasted by mistake is neither echoed nor written to the audit log.
    const text = redactSecrets(input.text.length > MAX_INPUT ? input.text.slice(0, MAX_INPUT) : input.text);
    const { command, rest, group } = this.resolve(text);
    const name = command?.name ?? (group ? `${group} (incomplete)` : text.trim() ? 'unknown' : 'help');
    const started = performance.now();
    try {
      if (input.deliveryKey && !(await this.services.store.claim('delivery', input.deliveryKey))) {
        ctx.log.info({ command: name, deliveryKey: input.deliveryKey }, 'duplicate delivery ignored');
        return undefined;
      }
      const reply = command ? await this.runCommand(ctx, command, rest) : await this.unknown(ctx, text, group);
      this.services.telemetry.command(name, 'ok', (performance.now() - started) / 1000);
      return reply;
    } catch (err) {
      this.services.telemetry.command(name, isOpsError(err) ? err.code : 'error', (performance.now() - started) / 1000);
      return this.failure(ctx, err, name);
    }
  }

  async action(input: ActionInput): Promise<Message | undefined> {
    const ctx = await this.context(input.actor, input.surface);
    const id = input.actionId.split(':')[0]!;
    const action = this.actions.find((a) => a.id === id);
    const started = performance.now();
    try {
      if (!action) return note(`This button (${id.slice(0, 40)}) is no longer supported. Run the command again.`);
      if (action.effect !== 'read' && input.deliveryKey && !(await this.services.store.claim('delivery', input.deliveryKey))) {
        ctx.log.info({ action: id, deliveryKey: input.deliveryKey }, 'duplicate interaction ignored');
        return undefined;
      }
      const reply = await action.run(ctx, input.click);
      this.services.telemetry.command(`action:${id}`, 'ok', (performance.now() - started) / 1000);
      return reply ?? undefined;
    } catch (err) {
      this.services.telemetry.command(`action:${id}`, isOpsError(err) ? err.code : 'error', (performance.now() - started) / 1000);
      return this.failure(ctx, err, `action:${id}`);
    }
  }

  /** Runs a command as someone: used directly and by confirmed destructive steps. */
  async execute(ctx: Context, command: CommandDef<any>, args: unknown): Promise<Message | undefined> {
    const reply = await command.run(ctx, args);
    if (!reply) return undefined;
    return { ...reply, visibility: reply.visibility ?? command.visibility ?? 'ephemeral' };
  }

  find(name: string): CommandDef<any> | undefined {
    return this.commands.find((c) => c.name === name);
  }

  async context(actor: Actor, surface: Surface): Promise<Context> {
    const correlationId = randomBytes(4).toString('hex');
    const role = await this.services.roles.roleOf(actor.userId);
    return { services: this.services, actor, role, surface, correlationId, log: this.services.log.child({ correlationId, user: actor.userId }) };
  }

  private async runCommand(ctx: Context, command: CommandDef<any>, rest: string): Promise<Message | undefined> {
    const parsed = command.args.safeParse(rest);
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? 'invalid arguments';
      return note(`Usage: \`/svp ${command.usage}\` — ${reason}.`);
    }
    const needed = command.permission ?? roleFor[command.effect];
    const { audit, config, rateLimiter } = this.services;
    const entry = { userId: ctx.actor.userId, action: command.name, args: rest.slice(0, 200), channelId: ctx.actor.channelId, correlationId: ctx.correlationId };
    if (!allows(ctx.role, needed)) {
      const how = needed === 'admin' && config.SVP_ADMINS.length === 0 ? ' No admins are configured: set SVP_ADMINS to allow destructive steps.' : ` Ask an ${needed} (${needed === 'admin' ? 'SVP_ADMINS' : 'SVP_OPERATORS or SVP_ADMINS'}).`;
      if (command.effect !== 'read') await audit.record({ ...entry, outcome: 'refused', detail: `needs ${needed}, user is ${ctx.role}` });
      return note(`Not allowed: \`/svp ${command.name}\` is for ${needed}s only.${how}`);
    }
    if (command.effect !== 'read') {
      const waitMs = await rateLimiter.take(ctx.actor.userId);
      if (waitMs > 0) {
        await audit.record({ ...entry, outcome: 'refused', detail: 'rate limited' });
        return note(`Slow down: at most ${rateLimiter.limit} changing commands a minute per person. Try again in ${Math.ceil(waitMs / 1000)} s.`);
      }
    }
    if (command.effect === 'destructive') {
      const danger = command.danger?.(parsed.data, ctx) ?? { title: `Run ${command.name}?`, text: `This runs \`${command.name}\` against SVP.` };
      const confirmation = await this.services.confirmations.create({
        ...danger,
        label: command.summary.split(':')[0]!.slice(0, 60),
        action: command.name,
        target: { kind: 'command', name: command.name, args: rest },
        requestedBy: ctx.actor.userId,
        channelId: ctx.actor.channelId,
      });
      await audit.record({ ...entry, outcome: 'requested', detail: `confirmation ${confirmation.id} awaits an admin` });
      const ref = await ctx.surface.post(confirmationMessage(confirmation));
      await this.services.confirmations.save({ ...confirmation, message: ref });
      return undefined;
    }
    const started = performance.now();
    try {
      const reply = await this.execute(ctx, command, parsed.data);
      if (command.effect !== 'read') await audit.record({ ...entry, outcome: 'ok', detail: reply?.text.slice(0, 300), durationMs: Math.round(performance.now() - started) });
      return reply;
    } catch (err) {
      if (command.effect !== 'read') await audit.record({ ...entry, outcome: 'failed', detail: isOpsError(err) ? err.userMessage : 'internal error', durationMs: Math.round(performance.now() - started) });
      throw err;
    }
  }

  private async unknown(ctx: Context, text: string, group?: string): Promise<Message> {
    if (!text.trim() || /^(help|\?|-h|--help)$/i.test(text.trim())) return helpMessage(this.commands, ctx.role);
    const groupHelp = () => helpMessage(this.commands, ctx.role, { group, intro: `\`/svp ${group}\` needs one of these:` });
    // "/svp cognee" alone wants its subcommands; "/svp cognee keeps failing ingestion" is a symptom.
    if (group && text.trim().split(/\s+/).length === 1) return groupHelp();
    const triaged = this.fallback ? await this.fallback(ctx, text) : undefined;
    if (triaged) return triaged;
    if (group) return groupHelp();
    return helpMessage(this.commands, ctx.role, { intro: `I don't know \`${untrusted(text.trim().split(/\s+/)[0]!.slice(0, 30).replace(/`/g, ''))}\`. Here is what I can do:` });
  }

  private failure(ctx: Context, err: unknown, name: string): Message {
    if (isOpsError(err)) {
      ctx.log.warn({ command: name, code: err.code, err: err.userMessage }, 'command failed');
      return note(`${err.code === 'upstream' ? ':red_circle: ' : ''}${err.userMessage} (ref ${ctx.correlationId})`);
    }
    ctx.log.error({ command: name, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'command crashed');
    return note(`Something went wrong on our side running \`${name}\`. It has been logged with ref ${ctx.correlationId}.`);
  }
}
