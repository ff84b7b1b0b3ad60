import type { LocalizationMap } from 'discord.js';
import { DEFAULT_LOCALE, DISCORD_LOCALES, LOCALES } from '../src/i18n/locale.js';
import { translate, type LocalizedText } from '../src/i18n/text.js';

/**
 * Command names, descriptions and choices in every language the bot speaks,
 * through Discord's localization fields: English is the default Discord
 * shows, the catalogue's other languages go in `*_localizations` under each
 * Discord locale they answer. Members still send the English names back.
 */
export function localizationsOf(text: LocalizedText): LocalizationMap {
  const localizations: Record<string, string> = {};
  for (const locale of LOCALES) {
    if (locale === DEFAULT_LOCALE) continue;
    for (const discordLocale of DISCORD_LOCALES[locale]) localizations[discordLocale] = translate(locale, text);
  }
  return localizations as LocalizationMap;
}

interface Described {
  setDescription(description: string): this;
  setDescriptionLocalizations(localizedDescriptions: LocalizationMap | null): this;
}

interface NamedAndDescribed extends Described {
  setName(name: string): this;
  setNameLocalizations(localizedNames: LocalizationMap | null): this;
}

/** Sets a command's or option's name and description, with their localizations, from the catalogue. */
export function named<B extends NamedAndDescribed>(builder: B, name: LocalizedText, description: LocalizedText): B {
  return builder
    .setName(translate(DEFAULT_LOCALE, name))
    .setNameLocalizations(localizationsOf(name))
    .setDescription(translate(DEFAULT_LOCALE, description))
    .setDescriptionLocalizations(localizationsOf(description));
}

/** Sets a command's or option's description, with its localizations, from the catalogue (the name stays as given). */
export function described<B extends Described>(builder: B, description: LocalizedText): B {
  return builder.setDescription(translate(DEFAULT_LOCALE, description)).setDescriptionLocalizations(localizationsOf(description));
}

/** A choice whose name members read in their language. */
export function localizedChoice<V extends string | number>(name: LocalizedText, value: V): { name: string; name_localizations: LocalizationMap; value: V } {
  return { name: translate(DEFAULT_LOCALE, name), name_localizations: localizationsOf(name), value };
}
