import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { withCharts } from '../src/discord/chartAttachments.js';
import { usageEmbed } from '../src/discord/quotaFormat.js';
import { localeOf } from '../src/i18n/locale.js';
import { localized } from '../src/i18n/text.js';
import { clipCostCents } from '../src/quota/cost.js';
import { spendChart, topMembersChart } from '../src/quota/usageCharts.js';
import type { SlashCommand } from './interaction.js';
import { named } from './localizations.js';
import { memberNames } from './memberNames.js';
import { guildIdOf, isModerator, requireModerator, roleIdsOf } from './permissions.js';

const data = named(new SlashCommandBuilder(), localized('command.usage.name'), localized('command.usage.description'))
  .setDMPermission(false)
  .addUserOption((o) => named(o, localized('command.usage.member.name'), localized('command.usage.member.description')));

export const usage = {
  kind: 'slash',
  data,
  async execute(interaction, { quota, config }) {
    const guildId = guildIdOf(interaction);
    const target = interaction.options.getUser('member');
    const self = !target || target.id === interaction.user.id;
    if (!self) requireModerator(interaction, config, localized('permissions.seeOthersUse'));
    const userId = self ? interaction.user.id : target.id;
    const roleIds = self ? roleIdsOf(interaction.member) : roleIdsOf(interaction.options.getMember('member'));
    const clipCents = clipCostCents(config.priceCentsPerSecond, config.defaults.resolution, config.defaults.duration);
    const embed = usageEmbed(await quota.memberUsage(guildId, userId, roleIds), self, clipCents, localeOf(interaction.locale));
    // The member's own days; moderators also see who spends most.
    const owner = self ? { kind: 'you' as const } : { kind: 'member' as const, name: target.displayName };
    const charts = [spendChart(await quota.spendByDay(guildId, userId), owner)];
    if (isModerator(interaction, config)) {
      const { spenders } = await quota.top(guildId);
      const names = await memberNames(interaction, spenders.map((spender) => spender.userId));
      charts.push(topMembersChart(spenders, (id) => names.get(id)));
    }
    const { embeds, files } = withCharts(embed, await Promise.all(charts));
    await interaction.reply({ embeds, files, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
} satisfies SlashCommand;
