import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { Config } from '../src/config/config.js';
import { InputError } from '../src/errors.js';
import { localized, type MemberText } from '../src/i18n/text.js';

/** A member as discord.js hands it out: cached (roles in a manager) or raw API data (an id array). */
type MemberLike = { roles: string[] | { cache: { keys(): Iterable<string> } } } | null | undefined;

/** The one setting that makes moderators besides Manage Server. */
export type ModeratorConfig = { quota: Pick<Config['quota'], 'adminRoleIds'> };

/** Who clicked or typed, as every kind of interaction reports it. */
export type Invoker = Pick<Interaction, 'memberPermissions'> & { member: MemberLike };

export function roleIdsOf(member: MemberLike): string[] {
  const roles = member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? [...roles] : [...roles.cache.keys()];
}

/**
 * A moderator, for every purpose (changing quotas, seeing others' use,
 * cancelling others' jobs): Manage Server, or a role the operator lists in
 * QUOTA_ADMIN_ROLE_IDS. Checked in the handler on every call: a command's
 * default_member_permissions only hides it, and server admins can override
 * that (PROTOCOLS.md §3).
 */
export function isModerator(invoker: Invoker, config: ModeratorConfig): boolean {
  if (invoker.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true) return true;
  const roles = roleIdsOf(invoker.member);
  return config.quota.adminRoleIds.some((role) => roles.includes(role));
}

/** `doing` finishes "Only members with the Manage Server permission … can ___." */
export function requireModerator(invoker: Invoker, config: ModeratorConfig, doing: MemberText): void {
  if (!isModerator(invoker, config)) {
    throw new InputError(localized('permissions.moderatorsOnly', { doing }));
  }
}

export function guildIdOf(interaction: Pick<Interaction, 'guildId'>): string {
  if (!interaction.guildId) throw new InputError(localized('permissions.serversOnly'));
  return interaction.guildId;
}
