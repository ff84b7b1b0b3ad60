import { de } from './de.js';
import { en, type Messages } from './en.js';
import type { Locale } from './locale.js';

const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, de };

export type MessageKey = keyof Messages;
type KeyWithParams = { [K in MessageKey]: Messages[K] extends string ? never : K }[MessageKey];
/** Keys of messages that take no parameters: plain sentences. */
export type SentenceKey = Exclude<MessageKey, KeyWithParams>;
export type ParamsOf<K extends KeyWithParams> = Messages[K] extends (params: infer P) => string ? P : never;

/** A parameter as code gives it: wherever text goes, a nested text may go, said in the same language. */
type Localizable<P> = { readonly [N in keyof P]: P[N] extends string ? string | LocalizedText : P[N] };

/**
 * A sentence not yet put into words: a catalogue key and its parameters. It
 * travels (in an error, say) to where the reader's language is known, and
 * `translate` says it there.
 */
export interface LocalizedText {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Text as a sentence is handed around: already words (English, or not ours to translate), or a LocalizedText. */
export type MemberText = string | LocalizedText;

export function localized<K extends SentenceKey>(key: K): LocalizedText;
export function localized<K extends KeyWithParams>(key: K, params: Localizable<ParamsOf<K>>): LocalizedText;
export function localized(key: MessageKey, params?: Readonly<Record<string, unknown>>): LocalizedText {
  return params === undefined ? { key } : { key, params };
}

export function isLocalizedText(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string' && (value as { key: string }).key in en;
}

/** The catalogue of a language, for code that words its own sentences (typed keys and parameters). */
export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** Says a text in `locale`: nested texts in its parameters first, in the same language. A plain string stays as it is. */
export function translate(locale: Locale, text: MemberText): string {
  if (typeof text === 'string') return text;
  const message = messagesFor(locale)[text.key] as string | ((params: Readonly<Record<string, unknown>>) => string);
  if (typeof message === 'string') return message;
  const params = Object.fromEntries(
    Object.entries(text.params ?? {}).map(([name, value]) => [name, isLocalizedText(value) ? translate(locale, value) : value]),
  );
  return message(params);
}

/** "a", "a or b", "a, b or c" in the reader's language. */
export function orList(items: readonly string[]): MemberText {
  if (items.length <= 1) return items.join('');
  return localized('list.or', { head: items.slice(0, -1).join(', '), last: items.at(-1) ?? '' });
}

/**
 * "a, b, c and 4 more": a list cut to what a Discord message or embed field
 * can hold (fields take 1,024 characters, messages 2,000), whatever a
 * moderator configured.
 */
export function shortList(items: readonly string[], max = 10): MemberText {
  if (items.length <= max) return items.join(', ');
  return localized('list.andMore', { items: items.slice(0, max).join(', '), count: items.length - max });
}

const PERIOD_KEYS: Readonly<Record<string, 'period.today' | 'period.thisWeek' | 'period.thisMonth'>> = {
  today: 'period.today',
  'this week': 'period.thisWeek',
  'this month': 'period.thisMonth',
};

/** A budget period's label as src/quota/periods.ts names it ('this month'), in the reader's language. */
export function periodText(label: string): MemberText {
  const key = PERIOD_KEYS[label];
  return key ? localized(key) : label;
}
