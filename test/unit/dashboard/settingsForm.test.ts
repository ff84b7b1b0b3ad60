import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.js';
import type { GuildDirectoryView, SubmittedForm } from '../../../src/http/dashboard/settingsForm.js';
import { DEFAULT_PREFIX, ORIGINAL_PREFIX, patchFromForm, settingsForm } from '../../../src/http/dashboard/settingsForm.js';
import { periodWindow } from '../../../src/quota/periods.js';
import { effectiveRules, emptySettings } from '../../../src/quota/policy.js';
import type { QuotaOverview } from '../../../src/quota/quotaTypes.js';
import { QUOTA_SETTINGS, declarationOf, type GuildSettings } from '../../../src/quota/rules.js';
import { translate } from '../../../src/i18n/text.js';

const config = parseConfig({
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
  MAX_GUILD_BUDGET_USD: '100',
});
const caps = { maxGuildBudgetCents: config.quota.maxGuildBudgetCents };

const guild: GuildDirectoryView = {
  channels: [
    { id: '500000000000000001', name: 'general', kind: 'text', position: 0 },
    { id: '500000000000000002', name: 'news', kind: 'announcement', position: 1 },
    { id: '500000000000000003', name: 'ideas', kind: 'forum', position: 2 },
    { id: '500000000000000004', name: 'lounge', kind: 'voice', position: 3 },
    { id: '500000000000000005', name: 'Text channels', kind: 'other', position: 4 },
  ],
  roles: [
    { id: '600000000000000001', name: 'Artists', position: 2, managed: false },
    { id: '600000000000000000', name: '@everyone', position: 0, managed: false },
  ],
};

function overviewWith(own: Partial<GuildSettings> = {}): QuotaOverview {
  const settings = { ...emptySettings(), ...own };
  const rules = effectiveRules(settings, config.quota.defaults, config.quota.maxGuildBudgetCents);
  return {
    guildId: '100000000000000001',
    rules,
    settings,
    defaults: config.quota.defaults,
    period: periodWindow(rules.budgetPeriod, Date.parse('2026-11-25T12:00:00Z')),
    spentCents: 0,
    leftCents: rules.budgetCents,
    defaultClipCents: 75,
    clipsLeft: 13,
    openJobs: 0,
  };
}

/** What a browser posts for the form as drawn: every field's value, its original, ticked boxes. */
function untouched(overview: QuotaOverview): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const group of settingsForm(overview, guild)) {
    for (const field of group.fields) {
      form[ORIGINAL_PREFIX + field.setting] = field.original;
      if (typeof field.value === 'string') form[field.setting] = field.value;
      else if (field.value.length > 0) form[field.setting] = [...field.value];
      if (field.defaultLabel !== null && field.usesDefault) form[DEFAULT_PREFIX + field.setting] = 'on';
    }
  }
  return form;
}

function submit(form: SubmittedForm, overview = overviewWith()) {
  return patchFromForm(form, overview, guild, caps);
}

describe('the settings form', () => {
  it('has one field for every rule declared in rules.ts, in sections named after its /quota subcommand', () => {
    const groups = settingsForm(overviewWith(), guild);
    const settings = groups.flatMap((group) => group.fields.map((field) => field.setting));
    expect(settings.sort()).toEqual([...QUOTA_SETTINGS].sort());
    expect(groups.map((group) => group.title)).toEqual(['Budget', 'Member limits', 'What members may ask for', 'Where and who', 'Mod-log']);
    const budget = groups[0]?.fields[0];
    expect(budget).toMatchObject({ setting: 'budgetCents', kind: 'money', value: '10.00', defaultLabel: '$10.00', usesDefault: true });
  });

  it('offers only the channels each rule takes (as /quota’s channel options do) and the server’s roles', () => {
    const fields = settingsForm(overviewWith(), guild).flatMap((group) => group.fields);
    const options = (setting: string) => fields.find((field) => field.setting === setting)?.options.map((option) => option.label);
    expect(options('allowedChannelIds')).toEqual(['#general', '#news', '#ideas', '#lounge']);
    expect(options('modLogChannelId')).toEqual(['Off', '#general', '#news']);
    expect(options('exemptRoleIds')).toEqual(['@Artists', '@everyone']);
  });

  it('changes nothing when sent back untouched: defaults stay defaults', () => {
    const overview = overviewWith({ memberClipsPerDay: 3, allowedChannelIds: ['500000000000000001'] });
    expect(submit(untouched(overview), overview)).toEqual({ patch: {}, errors: new Map() });
  });

  it('turns what the moderator changed into a patch of that setting only, converted by its rule', () => {
    const overview = overviewWith();
    const form = { ...untouched(overview), budgetCents: '7.5', budgetPeriod: 'week', allowedResolutions: '480p,720p', audioAllowed: 'false' };
    expect(submit(form, overview)).toEqual({
      patch: { budgetCents: 750, budgetPeriod: 'week', allowedResolutions: ['480p', '720p'], audioAllowed: false },
      errors: new Map(),
    });
  });

  it('returns a setting to the operator’s default when its box is ticked, and pins the default when it is unticked', () => {
    const overview = overviewWith({ memberClipsPerDay: 3 });
    const form: Record<string, string | string[]> = { ...untouched(overview), [`${DEFAULT_PREFIX}memberClipsPerDay`]: 'on' };
    delete form[`${DEFAULT_PREFIX}guildConcurrentJobs`];
    expect(submit(form, overview).patch).toEqual({ memberClipsPerDay: null, guildConcurrentJobs: 5 });
  });

  it('lets a changed value win over a ticked default box', () => {
    const overview = overviewWith();
    expect(submit({ ...untouched(overview), memberCooldownSeconds: '30' }, overview).patch).toEqual({ memberCooldownSeconds: 30 });
  });

  it('refuses what /quota refuses, in the rules’ own words, field by field', () => {
    const overview = overviewWith();
    const { patch, errors } = submit(
      {
        ...untouched(overview),
        budgetCents: '250',
        memberClipsPerDay: '1001',
        memberCooldownSeconds: 'soon',
        budgetPeriod: 'year',
        maxDurationSeconds: '7',
      },
      overview,
    );
    expect(patch).toEqual({});
    expect(Object.fromEntries(errors)).toEqual({
      budgetCents: 'The budget can be at most $100.00 per period (the bot\'s operator sets this cap).',
      memberClipsPerDay: 'Enter a whole number from 0 to 1000.',
      memberCooldownSeconds: 'Enter a whole number.',
      budgetPeriod: 'Choose day, week (from Monday) or month.',
      maxDurationSeconds: 'Choose 5 seconds or 10 seconds.',
    });
    expect(Object.fromEntries(submit({ ...untouched(overview), budgetCents: '0.004' }, overview).errors)).toEqual({
      budgetCents: 'The amount must be at least $0.01, or 0 to stop spending.',
    });
    expect(Object.fromEntries(submit({ ...untouched(overview), budgetCents: '-3' }, overview).errors)).toEqual({
      budgetCents: 'Enter an amount in US dollars, like 7.50.',
    });
  });

  it('takes channel and role lists only from the server, of the kinds each rule allows', () => {
    const overview = overviewWith();
    expect(submit({ ...untouched(overview), allowedChannelIds: ['500000000000000001', '500000000000000004'] }, overview).patch).toEqual({
      allowedChannelIds: ['500000000000000001', '500000000000000004'],
    });
    expect(Object.fromEntries(submit({ ...untouched(overview), allowedChannelIds: ['500000000000000005'] }, overview).errors)).toEqual({
      allowedChannelIds: 'Choose channels from the list.',
    });
    expect(Object.fromEntries(submit({ ...untouched(overview), exemptRoleIds: '999999999999999999' }, overview).errors)).toEqual({
      exemptRoleIds: 'Choose roles from the list.',
    });
    expect(Object.fromEntries(submit({ ...untouched(overview), modLogChannelId: '500000000000000003' }, overview).errors)).toEqual({
      modLogChannelId: 'Choose a channel from the list.',
    });
    const withList = overviewWith({ allowedRoleIds: ['600000000000000001'], modLogChannelId: '500000000000000002' });
    const cleared: Record<string, string | string[]> = { ...untouched(withList), modLogChannelId: '' };
    delete cleared.allowedRoleIds;
    expect(submit(cleared, withList).patch).toEqual({ allowedRoleIds: [], modLogChannelId: null });
  });

  it('shows a submitted form again with what was typed, the original values kept, and each error at its field', () => {
    const overview = overviewWith();
    const form = { ...untouched(overview), budgetCents: 'lots' };
    const { errors } = submit(form, overview);
    const budget = settingsForm(overview, guild, { form, errors })[0]?.fields[0];
    expect(budget).toMatchObject({ value: 'lots', original: '10.00', error: 'Enter an amount in US dollars, like 7.50.' });
  });

  it('names every list rule’s empty meaning as its declaration does', () => {
    const lists = settingsForm(overviewWith(), guild)
      .flatMap((group) => group.fields)
      .filter((field) => field.kind === 'channelList' || field.kind === 'roleList');
    expect(lists.map((field) => field.hint)).toEqual(
      lists.map((field) => `Nothing ticked: ${translate('en', declarationOf(field.setting).show.format([]))}.`),
    );
  });
});
