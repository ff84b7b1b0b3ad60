import { ApplicationCommandType, ContextMenuCommandBuilder, type Message } from 'discord.js';
import { InputError } from '../src/errors.js';
import { DEFAULT_LOCALE, localeOf } from '../src/i18n/locale.js';
import { localized, messagesFor, translate } from '../src/i18n/text.js';
import type { AttachmentRef } from '../src/jobs/types.js';
import { isAllowedUrl } from '../src/media/fetchCapped.js';
import { animateForm } from './animateForm.js';
import { animateImageFormId } from './animateImageForm.js';
import type { MessageContextMenuCommand } from './interaction.js';
import { localizationsOf } from './localizations.js';

const NAME = localized('command.animateImage.menuName');

const data = new ContextMenuCommandBuilder()
  .setName(translate(DEFAULT_LOCALE, NAME))
  .setNameLocalizations(localizationsOf(NAME))
  .setType(ApplicationCommandType.Message)
  .setDMPermission(false);

/**
 * The first picture of a message the bot may download: an attachment Discord
 * says is an image, else an embed's image or thumbnail whose address (or
 * Discord's proxied copy) is on an allowed host.
 */
export function firstUsableImage(message: Pick<Message, 'attachments' | 'embeds'>, allowedHosts: readonly string[]): AttachmentRef | undefined {
  for (const attachment of message.attachments.values()) {
    if (attachment.contentType?.startsWith('image/')) {
      return { url: attachment.url, filename: attachment.name, contentType: attachment.contentType, declaredSize: attachment.size };
    }
  }
  for (const embed of message.embeds) {
    for (const media of [embed.image, embed.thumbnail]) {
      if (!media) continue;
      const url = [media.url, media.proxyURL].find((candidate) => candidate !== undefined && isAllowedUrl(candidate, allowedHosts));
      if (url) return { url, filename: new URL(url).pathname.split('/').at(-1) || 'image', contentType: undefined, declaredSize: 0 };
    }
  }
  return undefined;
}

/**
 * Right-click a message → Apps → "Animate image": a form for the prompt and
 * options about the message's first usable picture. The picture waits in the
 * store under a short id (the form's custom_id); nothing is reserved until the
 * form is submitted (animateImageForm.ts).
 */
export const animateImage = {
  kind: 'messageContextMenu',
  data,
  async execute(interaction, { config, models, memberSettings, pendingAnimations }) {
    const image = firstUsableImage(interaction.targetMessage, config.attachmentHosts);
    if (!image) throw new InputError(localized('form.noImage'));
    const pending = await pendingAnimations.create({
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      image,
    });
    const settings = await memberSettings.get(interaction.guildId, interaction.user.id);
    const t = messagesFor(localeOf(interaction.locale));
    await interaction.showModal(
      animateForm({
        customId: animateImageFormId(pending.id),
        title: t['form.animateTitle'],
        t,
        choices: { model: models.default, resolution: settings.resolution, durationSeconds: settings.durationSeconds },
      }),
    );
  },
} satisfies MessageContextMenuCommand;

