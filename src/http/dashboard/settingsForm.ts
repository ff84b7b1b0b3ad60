import { InputError } from '../../errors.js';
import { localized, translate, type MemberText } from '../../i18n/text.js';
import type { QuotaOverview } from '../../quota/quotaTypes.js';
import type { ChannelKind, ListInput, OperatorCaps, ScalarInput } from '../../quota/ruleKit.js';
import { QUOTA_SETTINGS, declarationOf, isOperatorSetting, type QuotaSetting, type SettingsPatch } from '../../quota/rules.js';
import type { GuildChannel, GuildRole } from './botDirectory.js';

/**
 * Every quota rule as one form, built from the rule declarations
 * (src/quota/rules.ts) exactly as /quota builds its options: the same
 * inputs, bounds, choices and conversions (`toValue`), and the same limits
 * (`validate`), so a value the dashboard takes is one /quota would take, and
 * the refusals read the same. Only what the moderator changed becomes part of
 * the patch: a setting left alone keeps following the operator's default.
 */

export type FieldKind = 'money' | 'integer' | 'choice' | 'channel' | 'channelList' | 'roleList';

export interface FieldOption {
  value: string;
  label: string;
}

export interface SettingField {
  setting: QuotaSetting;
  label: string;
  hint: string;
  kind: FieldKind;
  /** What the form shows: text for one value, ids for a list. */
  value: string | readonly string[];
  /** What the server had when the form was drawn, sent back to tell which fields the moderator changed. */
  original: string;
  options: FieldOption[];
  min?: number;
  max?: number;
  /** The operator's default as a moderator reads it; null for settings without one (lists, the mod-log). */
  defaultLabel: string | null;
  /** Ticked: the server follows the operator's default for this setting. */
  usesDefault: boolean;
  error?: string;
}

export interface FieldGroup {
  id: string;
  title: string;
  note: string | null;
  fields: SettingField[];
}

export interface GuildDirectoryView {
  channels: readonly GuildChannel[];
  roles: readonly GuildRole[];
}

/** What the browser sent (urlencoded; a repeated name arrives as a list). */
export type SubmittedForm = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The /quota subcommands a rule names become the form's sections; lists share one. */
const SECTIONS: Readonly<Record<string, { id: string; title: string; note: string | null }>> = {
  budget: { id: 'budget', title: 'Budget', note: 'What /animate may spend on this server per period (UTC).' },
  members: { id: 'members', title: 'Member limits', note: '0 = no limit. Members with an exempt role skip these.' },
  limits: { id: 'limits', title: 'What members may ask for', note: null },
  channels: { id: 'where', title: 'Where and who', note: 'Nothing ticked = no restriction.' },
  roles: { id: 'where', title: 'Where and who', note: 'Nothing ticked = no restriction.' },
  exempt: { id: 'where', title: 'Where and who', note: 'Nothing ticked = no restriction.' },
  modlog: { id: 'modlog', title: 'Mod-log', note: 'Budget alerts (80 % and 100 %) and dashboard changes are posted there.' },
};

/** How the list rules read as questions (their /quota subcommands' descriptions say the same). */
const LIST_LABELS: Readonly<Record<string, string>> = {
  channels: 'Channels where /animate works',
  roles: 'Roles that may use /animate',
  exempt: 'Roles exempt from member limits',
};

export const ORIGINAL_PREFIX = 'was.';
export const DEFAULT_PREFIX = 'default.';

/** The form as the server has its settings now, or as submitted (with `errors`) when it must be corrected. */
export function settingsForm(
  overview: QuotaOverview,
  guild: GuildDirectoryView,
  submitted?: { form: SubmittedForm; errors: ReadonlyMap<QuotaSetting, string> },
): FieldGroup[] {
  const groups = new Map<string, FieldGroup>();
  for (const setting of QUOTA_SETTINGS) {
    const field = fieldFor(setting, overview, guild);
    if (submitted) {
      const { form, errors } = submitted;
      field.original = single(form[ORIGINAL_PREFIX + setting]) ?? field.original;
      field.value = field.kind === 'channelList' || field.kind === 'roleList' ? many(form[setting]) : (single(form[setting]) ?? '');
      if (field.defaultLabel !== null) field.usesDefault = single(form[DEFAULT_PREFIX + setting]) === 'on';
      const error = errors.get(setting);
      if (error !== undefined) field.error = error;
    }
    const section = sectionOf(setting);
    const group = groups.get(section.id) ?? { ...section, fields: [] };
    group.fields.push(field);
    groups.set(section.id, group);
  }
  return [...groups.values()];
}

export interface FormOutcome {
  patch: SettingsPatch;
  errors: Map<QuotaSetting, string>;
}

/**
 * The change the moderator asked for: each field they changed, converted and
 * checked by its rule; a ticked "default" box on a field they did not change
 * returns it to the operator's default. Errors are per field, in the rules'
 * own words.
 */
export function patchFromForm(form: SubmittedForm, overview: QuotaOverview, guild: GuildDirectoryView, caps: OperatorCaps): FormOutcome {
  const patch: Partial<Record<QuotaSetting, unknown>> = {};
  const errors = new Map<QuotaSetting, string>();
  for (const setting of QUOTA_SETTINGS) {
    const current = fieldFor(setting, overview, guild);
    const original = single(form[ORIGINAL_PREFIX + setting]) ?? current.original;
    try {
      const change = changeOf(setting, current, form, original, overview, guild);
      if (change === undefined) continue;
      if (change !== null) declarationOf(setting).validate?.(change, caps);
      patch[setting] = change;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.set(setting, error.memberMessage);
    }
  }
  // Each value came from its own rule's toValue, whose result is the rule's type.
  return { patch: patch as SettingsPatch, errors };
}

/** undefined: leave the setting alone; null: back to the default; anything else: the new value. */
function changeOf(
  setting: QuotaSetting,
  field: SettingField,
  form: SubmittedForm,
  original: string,
  overview: QuotaOverview,
  guild: GuildDirectoryView,
): unknown {
  const { input } = declarationOf(setting);
  const hasOwnValue = overview.settings[setting] !== null;
  if (input.type === 'list') {
    const ids = many(form[setting]);
    if (sameIds(ids, original.split(',').filter(Boolean))) return undefined;
    return listValue(input, ids, guild);
  }
  const raw = (single(form[setting]) ?? '').trim();
  const edited = raw !== original;
  if (field.defaultLabel === null) return edited ? scalarValue(input, raw, guild) : undefined;
  const wantsDefault = single(form[DEFAULT_PREFIX + setting]) === 'on';
  if (edited) return scalarValue(input, raw, guild);
  if (wantsDefault && hasOwnValue) return null;
  // Unticking "default" without changing the value pins today's default for this server.
  if (!wantsDefault && !hasOwnValue) return scalarValue(input, raw, guild);
  return undefined;
}

function scalarValue(input: ScalarInput<unknown>, raw: string, guild: GuildDirectoryView): unknown {
  switch (input.type) {
    case 'number': {
      const amount = /^\$?\s*(\d+(\.\d*)?|\.\d+)$/.exec(raw);
      if (!amount?.[1]) throw new InputError('Enter an amount in US dollars, like 7.50.');
      return input.toValue(Number(amount[1]));
    }
    case 'integer': {
      if (!/^-?\d{1,12}$/.test(raw)) throw new InputError('Enter a whole number.');
      const value = Number(raw);
      // Discord refuses an option outside its bounds or choices before /quota sees it; the form does the same.
      if (input.choices && !input.choices.some((choice) => choice.value === value)) throw new InputError(`Choose ${choiceNames(input.choices)}.`);
      if ((input.min !== undefined && value < input.min) || (input.max !== undefined && value > input.max)) {
        throw new InputError(`Enter a whole number from ${input.min ?? 0} to ${input.max ?? Number.MAX_SAFE_INTEGER}.`);
      }
      return input.toValue(value);
    }
    case 'string':
      if (!input.choices.some((choice) => choice.value === raw)) throw new InputError(`Choose ${choiceNames(input.choices)}.`);
      return input.toValue(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new InputError('Choose yes or no.');
      return input.toValue(raw === 'true');
    case 'channel':
      if (raw === '') return null;
      if (!channelsOfKinds(guild, input.channelKinds).some((channel) => channel.id === raw)) throw new InputError('Choose a channel from the list.');
      return input.toValue(raw);
  }
}

function listValue(input: ListInput, ids: readonly string[], guild: GuildDirectoryView): string[] {
  const known = input.item.type === 'channel' ? channelsOfKinds(guild, input.item.channelKinds) : guild.roles;
  if (ids.some((id) => !known.some((item) => item.id === id))) {
    throw new InputError(input.item.type === 'channel' ? 'Choose channels from the list.' : 'Choose roles from the list.');
  }
  return [...ids];
}

function fieldFor(setting: QuotaSetting, overview: QuotaOverview, guild: GuildDirectoryView): SettingField {
  const declaration = declarationOf(setting);
  const { input, show } = declaration;
  const ownValue = overview.settings[setting];
  const applied = overview.rules[setting];
  const hasDefault = isOperatorSetting(setting);
  const defaultLabel = hasDefault ? english(show.format(overview.defaults[setting as keyof QuotaOverview['defaults']])) : null;
  const base = { setting, defaultLabel, usesDefault: hasDefault && ownValue === null, options: [] as FieldOption[] };
  if (input.type === 'list') {
    const ids = (applied as readonly string[] | null) ?? [];
    const items =
      input.item.type === 'channel'
        ? channelsOfKinds(guild, input.item.channelKinds).map((channel) => ({ value: channel.id, label: `#${channel.name}` }))
        : guild.roles.map((role) => ({ value: role.id, label: role.name.startsWith('@') ? role.name : `@${role.name}` }));
    return {
      ...base,
      label: LIST_LABELS[input.subcommand] ?? capitalise(english(localized(show.label))),
      hint: `Nothing ticked: ${english(show.format([]))}.`,
      kind: input.item.type === 'channel' ? 'channelList' : 'roleList',
      value: ids,
      original: ids.join(','),
      // A channel or role that is gone still shows, so it can be unticked.
      options: [...items, ...ids.filter((id) => !items.some((item) => item.value === id)).map((id) => ({ value: id, label: `(deleted) ${id}` }))],
    };
  }
  const text = formValueOf(input, applied);
  // A /quota option left out leaves its rule unchanged ("default: unchanged"); a form field always has a value.
  const hint = english(input.description).replace(/;\s*default: unchanged$/, '');
  const common = { ...base, label: capitalise(english(localized(show.label))), hint, value: text, original: text };
  switch (input.type) {
    case 'number':
      return { ...common, kind: 'money', ...bounds(input) };
    case 'integer':
      return input.choices
        ? { ...common, kind: 'choice', options: input.choices.map((choice) => ({ value: String(choice.value), label: english(choice.name) })) }
        : { ...common, kind: 'integer', ...bounds(input) };
    case 'string': {
      const options = input.choices.map((choice) => ({ value: choice.value, label: english(choice.name) }));
      // A default the operator wrote that no choice matches (e.g. 480p and 1080p) still shows as it is.
      if (!options.some((option) => option.value === text)) options.unshift({ value: text, label: `${english(show.format(applied))} (current)` });
      return { ...common, kind: 'choice', options };
    }
    case 'boolean':
      return { ...common, kind: 'choice', options: [true, false].map((value) => ({ value: String(value), label: capitalise(english(show.format(value))) })) };
    case 'channel':
      return {
        ...common,
        kind: 'channel',
        options: [{ value: '', label: capitalise(english(show.format(null))) }, ...channelsOfKinds(guild, input.channelKinds).map((channel) => ({ value: channel.id, label: `#${channel.name}` }))],
      };
  }
}

/** A rule's value as the form's text: dollars for the budget, ids, words. */
function formValueOf(input: ScalarInput<unknown>, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (input.type === 'number') return (Number(value) / 100).toFixed(2);
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function bounds(input: { min?: number; max?: number }): { min?: number; max?: number } {
  return { ...(input.min === undefined ? {} : { min: input.min }), ...(input.max === undefined ? {} : { max: input.max }) };
}

function sectionOf(setting: QuotaSetting): { id: string; title: string; note: string | null } {
  const subcommand = declarationOf(setting).input.subcommand;
  return SECTIONS[subcommand] ?? { id: subcommand, title: capitalise(subcommand), note: null };
}

function channelsOfKinds(guild: GuildDirectoryView, kinds: readonly ChannelKind[]): GuildChannel[] {
  return guild.channels.filter((channel) => channel.kind !== 'other' && kinds.includes(channel.kind));
}

function choiceNames(choices: ReadonlyArray<{ name: MemberText }>): string {
  const names = choices.map((choice) => english(choice.name));
  return names.length <= 1 ? (names[0] ?? 'a value from the list') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function many(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(typeof value === 'string' ? [value] : value)].filter((id) => id !== '');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The dashboard speaks English: the rule declarations' texts rendered from the catalogue. */
function english(text: MemberText): string {
  return translate('en', text);
}
