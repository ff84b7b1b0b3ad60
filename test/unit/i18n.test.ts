import { describe, expect, it } from 'vitest';
import { InputError, UpstreamError, memberMessageFor } from '../../src/errors.js';
import { de } from '../../src/i18n/de.js';
import { en, type Messages } from '../../src/i18n/en.js';
import { LOCALES, localeOf } from '../../src/i18n/locale.js';
import { localized, messagesFor, orList, periodText, shortList, translate, type MessageKey } from '../../src/i18n/text.js';

const CATALOGUES: Record<string, Messages> = { en, de };
const KEYS = Object.keys(en) as MessageKey[];

/**
 * Calls a message with parameters that record which ones it reads and show
 * up in the text as ⟦name⟧ (and as 2 where a number is compared): what a
 * translation must keep from the English.
 */
function placeholdersOf(message: Messages[MessageKey]): { read: string[]; shown: string[] } {
  if (typeof message === 'string') return { read: [], shown: [] };
  const read = new Set<string>();
  const params = new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return { [Symbol.toPrimitive]: (hint: string) => (hint === 'number' ? 2 : `⟦${name}⟧`) };
      },
    },
  );
  const text = (message as (params: unknown) => string)(params);
  const shown = [...text.matchAll(/⟦(\w+)⟧/g)].map((match) => match[1] ?? '');
  return { read: [...read].sort(), shown: [...new Set(shown)].sort() };
}

describe('the message catalogue', () => {
  it('has every key in every language, and nothing else', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(CATALOGUES[locale] ?? {}).sort(), locale).toEqual([...KEYS].sort());
    }
  });

  it.each(KEYS)('%s: every language reads and shows the same parameters as the English', (key) => {
    const english = placeholdersOf(en[key]);
    for (const locale of LOCALES) {
      const message = messagesFor(locale)[key];
      expect(typeof message, `${locale} ${key}`).toBe(typeof en[key]);
      expect(placeholdersOf(message), `${locale} ${key}`).toEqual(english);
    }
  });

  it('has no empty message', () => {
    for (const locale of LOCALES) {
      for (const key of KEYS) {
        const { shown } = placeholdersOf(messagesFor(locale)[key]);
        const text = translate(locale, { key, params: Object.fromEntries(shown.map((name) => [name, 'x'])) });
        expect(text.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('gives command and option names Discord accepts in every language (lowercase, ≤ 32, letters, digits, - and _)', () => {
    for (const locale of LOCALES) {
      for (const key of KEYS.filter((candidate) => candidate.startsWith('command.') && candidate.endsWith('.name'))) {
        const name = messagesFor(locale)[key] as string;
        expect(name, `${locale} ${key}`).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
        expect(name).toBe(name.toLowerCase());
      }
      // Descriptions and choice names: at most 100 characters.
      for (const key of KEYS.filter((candidate) => candidate.startsWith('command.') && !candidate.endsWith('.name'))) {
        const text = translate(locale, { key, params: { min: 360, max: 2000, seconds: 10, resolution: '1080p' } });
        expect(text.length, `${locale} ${key}`).toBeLessThanOrEqual(100);
        expect(text.length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('choosing the language', () => {
  it("answers German clients in German and everyone else in English", () => {
    expect(localeOf('de')).toBe('de');
    expect(localeOf('en-US')).toBe('en');
    expect(localeOf('en-GB')).toBe('en');
    expect(localeOf('fr')).toBe('en');
    expect(localeOf(null)).toBe('en');
    expect(localeOf(undefined)).toBe('en');
  });
});

describe('translating', () => {
  it('says nested texts in the same language as the sentence they are part of', () => {
    const text = localized('quota.budgetUsed', {
      budget: '$1.50',
      period: periodText('this month'),
      detail: localized('quota.budgetLeft', { left: '$0.25', cost: '$0.75' }),
      when: '<t:1:R>',
    });
    expect(translate('en', text)).toBe('This server has used its $1.50 budget for this month. Only $0.25 is left and this video costs $0.75. It resets <t:1:R>.');
    expect(translate('de', text)).toBe(
      'Dieser Server hat sein Budget von $1.50 für diesen Monat aufgebraucht. Es sind nur noch $0.25 übrig und dieses Video kostet $0.75. Es wird <t:1:R> zurückgesetzt.',
    );
  });

  it('words lists in the reader’s language', () => {
    expect(translate('en', orList(['480p', '720p', '1080p']))).toBe('480p, 720p or 1080p');
    expect(translate('de', orList(['480p', '720p']))).toBe('480p oder 720p');
    expect(translate('de', orList(['480p']))).toBe('480p');
    const many = Array.from({ length: 12 }, (_, i) => `<#${i}>`);
    expect(translate('en', shortList(many))).toMatch(/, <#9> and 2 more$/);
    expect(translate('de', shortList(many))).toMatch(/, <#9> und 2 weitere$/);
  });

  it('leaves plain strings as they are', () => {
    expect(translate('de', 'already words')).toBe('already words');
  });
});

describe('errors that carry a catalogue text', () => {
  it('keep their English member message byte for byte, and say it in the reader’s language where shown', () => {
    const error = new InputError(localized('request.promptTooLong', { length: 900, limit: 800 }));
    expect(error.memberMessage).toBe('The prompt is 900 characters; the limit is 800.');
    expect(error.message).toBe('The prompt is 900 characters; the limit is 800.');
    expect(error.memberMessageIn('de')).toBe('Der Prompt hat 900 Zeichen; erlaubt sind 800.');
    expect(memberMessageFor(error, undefined, 'de')).toBe('Der Prompt hat 900 Zeichen; erlaubt sind 800.');
  });

  it('written as plain words stay in those words in every language', () => {
    const error = new UpstreamError('fal said no.', 'x');
    expect(error.memberMessageIn('de')).toBe('fal said no.');
  });

  it('from a bug say the generic sentence with its report id in the reader’s language', () => {
    expect(memberMessageFor(new Error('boom'), 'abcd1234')).toBe(
      'Something went wrong on our side. You were not charged; please try again. (report `abcd1234`)',
    );
    expect(memberMessageFor(new Error('boom'), 'abcd1234', 'de')).toContain('(Meldung `abcd1234`)');
    expect(memberMessageFor(new Error('boom'), undefined, 'de')).toBe(de['error.generic']);
  });
});
