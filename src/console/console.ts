/**
 * The local console: type `/svp …`, read the replies as text, type a number to press a
 * button. Works with piped stdin too: each line runs to completion before the next.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from '../app/dispatcher.js';
import type { Bot } from '../bot.js';
import type { MessageRef, Surface } from '../app/command.js';
import type { Message } from '../core/message.js';
import { renderText, type Choice } from './render.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorCommand } from './sim-commands.js';

export const CONSOLE_USER = 'UCONSOLE';
export const CONSOLE_CHANNEL = 'CCONSOLE';

export class ConsoleSession implements Surface {
  private choices: Choice[] = [];
  private seq = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly out: Writable,
    private readonly simulator?: Simulator,
  ) {}

  private print(message: Message, heading?: string, ref?: MessageRef): void {
    const first = this.choices.length;
    const text = renderText(message, this.choices);
    // A click on one of these choices must know which message it belongs to.
    for (const choice of this.choices.slice(first)) choice.ref = ref;
    this.out.write(`${heading ? `${heading}\n` : ''}${text}\n`);
  }

  async post(message: Message, opts: { channelId?: string; threadTs?: string } = {}): Promise<MessageRef> {
    const ts = `${++this.seq}`;
    const ref = { channelId: opts.channelId ?? CONSOLE_CHANNEL, ts };
    this.print(message, opts.threadTs ? `#${ts} ↳ in thread #${opts.threadTs}` : `#${ts}`, ref);
    return ref;
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    this.print(message, `#${ref.ts} (updated)`, ref);
  }

  async whisper(message: Message): Promise<void> {
    this.print(message, '(only you can see this)');
  }

  /** Handles one typed line; resolves when its reply has been printed. */
  async handle(line: string): Promise<'exit' | void> {
    const input = line.trim();
    if (!input) return;
    if (/^(exit|quit|\.exit)$/i.test(input)) return 'exit';
    if (/^\d+$/.test(input)) return this.click(Number(input));
    if (input.startsWith('/sim')) {
      this.out.write(`${simulatorCommand(this.simulator, input.slice(4).trim())}\n`);
      return;
    }
    const text = input.replace(/^\/svp\b\s*/, '');
    this.choices = [];
    const reply = await this.dispatcher.command({ text, actor: { userId: CONSOLE_USER, channelId: CONSOLE_CHANNEL }, surface: this });
    if (reply) this.print(reply);
  }

  private async click(n: number): Promise<void> {
    const choice = this.choices[n - 1];
    if (!choice) {
      this.out.write(`No choice ${n}. ${this.choices.length ? `Pick 1–${this.choices.length}.` : 'Nothing to choose right now.'}\n`);
      return;
    }
    const b = choice.button;
    if (b?.url && !b.actionId) {
      this.out.write(`Open ${b.url}\n`);
      return;
    }
    const dialog = b?.confirm ?? choice.toggle?.confirm;
    if (dialog) this.out.write(`(confirm dialog) ${dialog.title}: ${dialog.text} — answered “${dialog.confirm}”\n`);
    const actionId = b ? b.actionId : choice.toggle!.actionId;
    const click = b ? { value: b.value } : { value: choice.toggle!.selected.join(','), selected: choice.toggle!.selected, blockId: choice.toggle!.partId };
    const reply = await this.dispatcher.action({ actionId, click: { ...click, message: choice.ref }, actor: { userId: CONSOLE_USER, channelId: CONSOLE_CHANNEL, threadTs: choice.ref?.ts }, surface: this });
    if (reply) this.print(reply);
  }
}

/** Runs the prompt until EOF or `exit`. */
export async function runConsole(opts: { bot: Bot; input: Readable; output: Writable; banner: string; simulator?: Simulator; interactive: boolean }): Promise<void> {
  const session = new ConsoleSession(opts.bot.dispatcher, opts.output, opts.simulator);
  opts.bot.bindPoster(session);
  opts.output.write(`${opts.banner}\n`);
  const rl = createInterface({ input: opts.input, terminal: false });
  const prompt = () => opts.interactive && opts.output.write('svp> ');
  prompt();
  for await (const line of rl) {
    try {
      if ((await session.handle(line)) === 'exit') break;
    } catch (err) {
      opts.output.write(`error: ${(err as Error).message}\n`);
    }
    prompt();
  }
  rl.close();
}
