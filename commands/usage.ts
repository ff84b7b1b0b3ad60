import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { usageEmbed } from '../src/discord/quotaFormat.js';
import { clipCostCents } from '../src/quota/cost.js';
import type { SlashCommand } from './interaction.js';
import { guildIdOf, requireModerator, roleIdsOf } from './permissions.js';

const data = new SlashCommandBuilder()
  .setName('usage')
  .setDescription('Your /animate use on this server and what is left')
  .setDMPermission(false)
  .addUserOption((o) => o.setName('member').setDescription('Moderators: see this member’s use instead'));

export const usage = {
  kind: 'slash',
  data,
  async execute(interaction, { quota, config }) {
    const guildId = guildIdOf(interaction);
    const target = interaction.options.getUser('member');
    const self = !target || target.id === interaction.user.id;
    if (!self) requireModerator(interaction, config, "see another member's use");
    const userId = self ? interaction.user.id : target.id;
    const roleIds = self ? roleIdsOf(interaction.member) : roleIdsOf(interaction.options.getMember('member'));
    const clipCents = clipCostCents(config.priceCentsPerSecond, config.defaults.resolution, config.defaults.duration);
    const embed = usageEmbed(await quota.memberUsage(guildId, userId, roleIds), self, clipCents);
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
} satisfies SlashCommand;
