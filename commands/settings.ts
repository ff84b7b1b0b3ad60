import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { wan25 } from '../src/fal/models/wan25.js';
import { localeOf } from '../src/i18n/locale.js';
import { localized, messagesFor } from '../src/i18n/text.js';
import type { MemberSettings } from '../src/jobs/memberSettings.js';
import type { QuotaRules } from '../src/quota/rules.js';
import type { SlashCommand } from './interaction.js';
import { localizedChoice, named } from './localizations.js';
import { guildIdOf } from './permissions.js';

/** As /animate: the default model's choices, with the same values. */
const MODEL = wan25;

const data = named(new SlashCommandBuilder(), localized('command.settings.name'), localized('command.settings.description'))
  .setDMPermission(false)
  .addStringOption((o) =>
    named(o, localized('command.animate.resolution.name'), localized('command.settings.resolution.description')).addChoices(
      ...MODEL.resolutions.map((resolution) => ({ name: resolution, value: resolution })),
    ),
  )
  .addStringOption((o) =>
    named(o, localized('command.animate.duration.name'), localized('command.settings.duration.description')).addChoices(
      ...MODEL.durationsSeconds.map((seconds) => localizedChoice(localized('command.animate.duration.choice', { seconds }), String(seconds))),
    ),
  )
  .addBooleanOption((o) => named(o, localized('command.animate.promptExpansion.name'), localized('command.settings.promptExpansion.description')))
  .addBooleanOption((o) => named(o, localized('command.settings.privateResults.name'), localized('command.settings.privateResults.description')));

type Messages = ReturnType<typeof messagesFor>;

function show(settings: MemberSettings, t: Messages): string {
  const serverDefault = t['settings.serverDefault'];
  const onOff = (value: boolean | null, unset: string) => (value === null ? unset : value ? t['settings.on'] : t['settings.off']);
  return t['settings.show']({
    resolution: settings.resolution ?? serverDefault,
    duration: settings.durationSeconds === null ? serverDefault : t['settings.seconds']({ seconds: settings.durationSeconds }),
    expansion: onOff(settings.promptExpansion, t['settings.on']),
    privacy: onOff(settings.privateResults, t['settings.off']),
  });
}

/** A default the server does not allow now: said plainly, never changed behind the member's back. */
function conflicts(settings: MemberSettings, rules: QuotaRules, t: Messages): string[] {
  const lines: string[] = [];
  if (settings.resolution !== null && !rules.allowedResolutions.includes(settings.resolution as never)) {
    lines.push(t['settings.resolutionNotAllowed']({ resolution: settings.resolution, allowed: rules.allowedResolutions.join(', ') }));
  }
  if (settings.durationSeconds !== null && settings.durationSeconds > rules.maxDurationSeconds) {
    lines.push(t['settings.durationNotAllowed']({ seconds: settings.durationSeconds, max: rules.maxDurationSeconds }));
  }
  return lines;
}

/**
 * /settings: a member's defaults for new videos (resolution, duration, prompt
 * expansion, private results). Without options it shows them. /animate, the
 * "Animate image" form and the buttons use them; options given explicitly win.
 */
export const settings = {
  kind: 'slash',
  data,
  async execute(interaction, { memberSettings, quota }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const guildId = guildIdOf(interaction);
    const t = messagesFor(localeOf(interaction.locale));
    const duration = interaction.options.getString('duration');
    const patch: Partial<MemberSettings> = {
      resolution: interaction.options.getString('resolution') ?? undefined,
      durationSeconds: duration === null ? undefined : Number(duration),
      promptExpansion: interaction.options.getBoolean('prompt_expansion') ?? undefined,
      privateResults: interaction.options.getBoolean('private_results') ?? undefined,
    };
    const changing = Object.values(patch).some((value) => value !== undefined);
    const current = changing ? await memberSettings.update(guildId, interaction.user.id, patch) : await memberSettings.get(guildId, interaction.user.id);
    const rules = await quota.rules(guildId);
    const lines = [...(changing ? [t['settings.saved']] : []), show(current, t), ...conflicts(current, rules, t)];
    await interaction.editReply({ content: lines.join('\n\n'), allowedMentions: { parse: [] } });
  },
} satisfies SlashCommand;
