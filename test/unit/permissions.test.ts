import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isModerator, requireModerator, type Invoker } from '../../commands/permissions.js';

const ADMIN_ROLE = '1300000000000000001';
const config = { quota: { adminRoleIds: [ADMIN_ROLE] } } as const;

function invoker(permissions: bigint | null, roles: string[]): Invoker {
  return { memberPermissions: permissions === null ? null : new PermissionsBitField(permissions), member: { roles } };
}

describe('who is a moderator', () => {
  it('is a member with Manage Server', () => {
    expect(isModerator(invoker(PermissionFlagsBits.ManageGuild, []), config)).toBe(true);
  });

  it('is a member with a role listed in QUOTA_ADMIN_ROLE_IDS, without Manage Server', () => {
    expect(isModerator(invoker(PermissionFlagsBits.SendMessages, ['1300000000000000002', ADMIN_ROLE]), config)).toBe(true);
  });

  it('is nobody else, and nobody outside a server', () => {
    expect(isModerator(invoker(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages, ['1300000000000000002']), config)).toBe(false);
    expect(isModerator({ memberPermissions: null, member: null }, config)).toBe(false);
  });

  it('is refused with a sentence that names both ways to qualify', () => {
    expect(() => requireModerator(invoker(0n, []), config, 'change quotas')).toThrow(
      'Only members with the Manage Server permission (or a quota admin role) can change quotas.',
    );
  });
});
