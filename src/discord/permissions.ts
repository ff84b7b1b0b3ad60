import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Config } from '../config/config.js';
import { InputError } from '../errors.js';

/** A member as discord.js hands it out: cached (roles in a manager) or raw API data (an id array). */
type MemberLike = { roles: string[] | { cache: { keys(): Iterable<string> } } } | null | undefined;

export function roleIdsOf(member: MemberLike): string[] {
  const roles = member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? [...roles] : [...roles.cache.keys()];
}

/**
 * Who may change quotas: Manage Server, or a role the operator lists in
 * QUOTA_ADMIN_ROLE_IDS. Checked in the handler on every call: a command's
 * default_member_permissions only hides it, and server admins can override
 * that (PROTOCOLS.md §3).
 */
export function canManageQuotas(interaction: ChatInputCommandInteraction, config: Pick<Config, 'quota'>): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true) return true;
  const roles = roleIdsOf(interaction.member);
  return config.quota.adminRoleIds.some((role) => roles.includes(role));
}

export function requireQuotaManager(interaction: ChatInputCommandInteraction, config: Pick<Config, 'quota'>, doing: string): void {
  if (!canManageQuotas(interaction, config)) {
    throw new InputError(`Only members with the Manage Server permission (or a quota admin role) can ${doing}.`);
  }
}

export function guildIdOf(interaction: ChatInputCommandInteraction): string {
  if (!interaction.guildId) throw new InputError('This command works only in servers.');
  return interaction.guildId;
}
