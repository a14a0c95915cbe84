import { describe, expect, it } from 'vitest';
import { Roles, allows } from '../../src/app/roles.js';

/** A resolver backed by a map that counts its lookups and can be made to fail. */
function groups(members: Record<string, string[]>) {
  const calls: string[] = [];
  let failing = false;
  return {
    calls,
    fail: (on: boolean) => void (failing = on),
    resolve: async (groupId: string) => {
      calls.push(groupId);
      if (failing) throw new Error('usergroups.users.list: ratelimited');
      const found = members[groupId];
      if (!found) throw new Error('no_such_subteam');
      return found;
    },
  };
}

describe('roles', () => {
  it('gives listed users their role, admin over operator, everyone else read only', async () => {
    const roles = new Roles({ operators: ['UOPER001', 'UBOTH001'], admins: ['UADMIN01', 'UBOTH001'] });
    expect(await roles.roleOf('UADMIN01')).toBe('admin');
    expect(await roles.roleOf('UBOTH001')).toBe('admin');
    expect(await roles.roleOf('UOPER001')).toBe('operator');
    expect(await roles.roleOf('UREAD001')).toBe('everyone');
  });

  it('resolves user groups and caches the members for the TTL', async () => {
    let now = 1_000_000;
    const lookup = groups({ SOPS0001: ['UGROUPED'], SADM0001: ['UGRPADMN'] });
    const roles = new Roles({ operators: ['SOPS0001'], admins: ['SADM0001'] }, () => now, 60_000);
    roles.setGroupResolver(lookup.resolve);

    expect(await roles.roleOf('UGROUPED')).toBe('operator');
    expect(await roles.roleOf('UGRPADMN')).toBe('admin');
    const afterFirst = lookup.calls.length;
    expect(await roles.roleOf('UGROUPED')).toBe('operator');
    expect(await roles.roleOf('USTRANGR')).toBe('everyone');
    expect(lookup.calls).toHaveLength(afterFirst);

    now += 60_001;
    expect(await roles.roleOf('UGROUPED')).toBe('operator');
    expect(lookup.calls.length).toBeGreaterThan(afterFirst);
  });

  it('grants nothing when the group lookup fails or no resolver is set', async () => {
    const lookup = groups({ SADM0001: ['UGRPADMN'] });
    lookup.fail(true);
    const roles = new Roles({ operators: [], admins: ['SADM0001'] });
    expect(await roles.roleOf('UGRPADMN')).toBe('everyone');
    roles.setGroupResolver(lookup.resolve);
    expect(await roles.roleOf('UGRPADMN')).toBe('everyone');
    expect(lookup.calls).toEqual(['SADM0001']);
    // Once the lookup works again, the member is recognised.
    lookup.fail(false);
    expect(await roles.roleOf('UGRPADMN')).toBe('admin');
  });

  it('an unknown group grants nothing', async () => {
    const roles = new Roles({ operators: ['SGONE001'], admins: [] });
    roles.setGroupResolver(groups({}).resolve);
    expect(await roles.roleOf('UANYONE1')).toBe('everyone');
  });

  it('ranks roles: admins may do what operators may, operators what everyone may', () => {
    expect(allows('admin', 'operator')).toBe(true);
    expect(allows('operator', 'admin')).toBe(false);
    expect(allows('everyone', 'operator')).toBe(false);
    expect(allows('operator', 'everyone')).toBe(true);
  });
});
