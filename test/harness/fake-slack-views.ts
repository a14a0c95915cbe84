/**
 * Modals and home tabs: views.open / views.update / views.publish, trigger_id
 * bookkeeping, and what Slack does with a view_submission acknowledgement.
 */
import { randomBytes } from 'node:crypto';
import { validateView } from './block-kit.js';
import { type ApiResult, type Args, type Block, type FakeView, USER_ID, randomId, withSlackIds } from './fake-slack-types.js';
import type { SlackWorkspace } from './fake-slack-workspace.js';

interface Trigger {
  user: string;
  mintedAt: number;
  used: boolean;
  expired: boolean;
}

/** Slack gives the app 3 seconds to use a trigger_id. */
export const TRIGGER_TTL_MS = 3000;

export class SlackViews {
  private readonly triggers = new Map<string, Trigger>();

  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly triggerTtlMs = TRIGGER_TTL_MS,
  ) {}

  /** A trigger_id as Slack sends with a command or interaction, usable once. */
  mintTriggerId(user: string): string {
    const id = `${Date.now()}${randomBytes(2).readUInt16BE()}.${this.workspace.teamId.length}${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user, mintedAt: Date.now(), used: false, expired: false });
    return id;
  }

  expireTrigger(triggerId: string): void {
    const trigger = this.triggers.get(triggerId);
    if (trigger) trigger.expired = true;
    else this.triggers.set(triggerId, { user: '', mintedAt: Date.now(), used: false, expired: true });
  }

  readonly methods: Record<string, (args: Args) => ApiResult> = {
    'views.open': (args) => this.open(args),
    'views.publish': (args) => this.publish(args),
    'views.update': (args) => this.update(args),
  };

  /** The Slack "view" object returned by views.* and sent in view_submission payloads. */
  viewObject(view: FakeView, stateValues: Record<string, unknown> = {}): Record<string, unknown> {
    const { workspace: ws } = this;
    return {
      id: view.id, team_id: ws.teamId, type: view.type, blocks: view.blocks,
      private_metadata: view.private_metadata, callback_id: view.callback_id, state: { values: stateValues },
      hash: view.hash, title: view.title, clear_on_close: false, notify_on_close: false,
      close: view.close ?? null, submit: view.submit ?? null, previous_view_id: null, root_view_id: view.id,
      app_id: ws.appId, external_id: view.external_id, app_installed_team_id: ws.teamId, bot_id: ws.botId,
    };
  }

  /**
   * Applies the app's acknowledgement of a view_submission as Slack would:
   * empty → modal closes; `errors` → stays open; `update`/`push` → new view
   * (validated); `clear` → all of the user's modals close.
   */
  applySubmissionAck(view: FakeView, ackBody: string): void {
    let ack: Args = {};
    try {
      if (ackBody.trim() !== '') ack = JSON.parse(ackBody) as Args;
    } catch {
      this.workspace.recordRejection('view_submission ack', [`body is not JSON: ${ackBody.slice(0, 100)}`]);
      return;
    }
    const modals = this.workspace.views.modals;
    switch (ack.response_action) {
      case undefined:
        view.closed = true;
        return;
      case 'errors':
        return;
      case 'clear':
        for (const modal of modals) if (modal.user === view.user) modal.closed = true;
        return;
      case 'update':
      case 'push': {
        const definition = this.checkDefinition('view_submission ack', ack.view, 'modal');
        if ('error' in definition) return;
        if (ack.response_action === 'update') this.redefine(view, definition.view);
        else modals.push(this.create(definition.view, view.user));
        return;
      }
      default:
        this.workspace.recordRejection('view_submission ack', [`unknown response_action: ${String(ack.response_action)}`]);
    }
  }

  private open(args: Args): ApiResult {
    const trigger = this.checkTrigger(args.trigger_id);
    if ('error' in trigger) return trigger.error;
    const definition = this.checkDefinition('views.open', args.view, 'modal');
    if ('error' in definition) return definition.error;
    const externalId = definition.view.external_id;
    if (externalId !== undefined && this.workspace.views.modals.some((m) => m.external_id === externalId)) {
      return { ok: false, error: 'duplicate_external_id' };
    }
    trigger.used = true;
    const view = this.create(definition.view, trigger.user);
    this.workspace.views.modals.push(view);
    return { ok: true, view: this.viewObject(view) };
  }

  private publish(args: Args): ApiResult {
    const user = args.user_id;
    if (typeof user !== 'string' || !USER_ID.test(user)) return { ok: false, error: 'user_not_found' };
    const definition = this.checkDefinition('views.publish', args.view, 'home');
    if ('error' in definition) return definition.error;
    const current = this.workspace.views.home[user];
    if (current && typeof args.hash === 'string' && args.hash !== current.hash) return { ok: false, error: 'hash_conflict' };
    if (current) this.redefine(current, definition.view);
    else this.workspace.views.home[user] = this.create(definition.view, user);
    return { ok: true, view: this.viewObject(this.workspace.views.home[user] as FakeView) };
  }

  private update(args: Args): ApiResult {
    const all = [...this.workspace.views.modals.filter((m) => !m.closed), ...Object.values(this.workspace.views.home)];
    const view = args.view_id !== undefined
      ? all.find((v) => v.id === args.view_id)
      : all.find((v) => args.external_id !== undefined && v.external_id === args.external_id);
    if (!view) return { ok: false, error: 'not_found' };
    if (typeof args.hash === 'string' && args.hash !== view.hash) return { ok: false, error: 'hash_conflict' };
    const definition = this.checkDefinition('views.update', args.view, view.type);
    if ('error' in definition) return definition.error;
    this.redefine(view, definition.view);
    return { ok: true, view: this.viewObject(view) };
  }

  private checkTrigger(triggerId: unknown): { error: ApiResult } | Trigger {
    if (typeof triggerId !== 'string' || triggerId === '') return { error: { ok: false, error: 'invalid_arguments' } };
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { error: { ok: false, error: 'invalid_trigger_id' } };
    if (trigger.expired || Date.now() - trigger.mintedAt > this.triggerTtlMs) return { error: { ok: false, error: 'expired_trigger_id' } };
    if (trigger.used) return { error: { ok: false, error: 'exchanged_trigger_id' } };
    return trigger;
  }

  /** Slack answers a bad view with `invalid_arguments` and the reasons in response_metadata. */
  private checkDefinition(where: string, view: unknown, type: 'modal' | 'home'): { error: ApiResult } | { view: Block } {
    const errors = validateView(view, type);
    if (errors.length === 0) return { view: view as Block };
    this.workspace.recordRejection(where, errors);
    return { error: { ok: false, error: 'invalid_arguments', response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } } };
  }

  private create(definition: Block, user: string): FakeView {
    const view: FakeView = {
      id: `V${randomId(10)}`, type: definition.type, user, hash: '', blocks: [], callback_id: '',
      private_metadata: '', external_id: '', closed: false, history: [],
    };
    this.apply(view, definition);
    return view;
  }

  private redefine(view: FakeView, definition: Block): void {
    const { id: _id, user: _user, hash: _hash, closed: _closed, history, ...previous } = view;
    history.push(previous);
    this.apply(view, definition);
  }

  private apply(view: FakeView, definition: Block): void {
    view.blocks = withSlackIds(definition.blocks ?? []);
    view.title = definition.title;
    view.submit = definition.submit;
    view.close = definition.close;
    view.callback_id = definition.callback_id ?? '';
    view.private_metadata = definition.private_metadata ?? '';
    view.external_id = definition.external_id ?? '';
    view.hash = `${Math.floor(Date.now() / 1000)}.${randomId(8)}`;
  }
}
