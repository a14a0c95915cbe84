/**
 * Who may do what (SPEC.md): everyone reads; SVP_OPERATORS run mutating steps; SVP_ADMINS
 * also run and confirm destructive ones. IDs may be users (U…/W…) or user groups (S…),
 * resolved through a resolver the Slack edge provides, cached for a minute.
 */
import type { Role } from './command.js';

export type GroupResolver = (groupId: string) => Promise<string[]>;

const rank: Record<Role, number> = { everyone: 0, operator: 1, admin: 2 };

export const allows = (role: Role, needed: Role) => rank[role] >= rank[needed];

export class Roles {
  private readonly cache = new Map<string, { members: Set<string>; at: number }>();
  private resolver?: GroupResolver;

  constructor(
    private readonly lists: { operators: readonly string[]; admins: readonly string[] },
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 60_000,
  ) {}

  setGroupResolver(resolver: GroupResolver): void {
    this.resolver = resolver;
  }

  async roleOf(userId: string): Promise<Role> {
    if (await this.isIn(userId, this.lists.admins)) return 'admin';
    if (await this.isIn(userId, this.lists.operators)) return 'operator';
    return 'everyone';
  }

  private async isIn(userId: string, ids: readonly string[]): Promise<boolean> {
    if (ids.includes(userId)) return true;
    for (const id of ids) {
      if (id.startsWith('S') && (await this.members(id)).has(userId)) return true;
    }
    return false;
  }

  private async members(groupId: string): Promise<Set<string>> {
    const cached = this.cache.get(groupId);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.members;
    if (!this.resolver) return new Set();
    try {
      const members = new Set(await this.resolver(groupId));
      this.cache.set(groupId, { members, at: this.now() });
      return members;
    } catch {
      // A failing lookup grants nothing; the stale list, if any, is better than none.
      return cached?.members ?? new Set();
    }
  }
}
