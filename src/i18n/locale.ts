/**
 * The languages the bot speaks. Discord sends each interaction's `locale`
 * (the member's client language) and `guild_locale` (the server's); anything
 * we have no catalogue for is answered in English.
 */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/** The Discord locales each of our languages answers (https://discord.com/developers/docs/reference#locales). */
export const DISCORD_LOCALES: Readonly<Record<Locale, readonly string[]>> = {
  en: ['en-US', 'en-GB'],
  de: ['de'],
};

/** Our language for a Discord locale ('de', 'en-GB', …, or nothing stored). */
export function localeOf(discordLocale: string | null | undefined): Locale {
  if (!discordLocale) return DEFAULT_LOCALE;
  const found = LOCALES.find((locale) => DISCORD_LOCALES[locale].includes(discordLocale));
  return found ?? DEFAULT_LOCALE;
}
