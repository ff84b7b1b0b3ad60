import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlashOptionInput } from '../fakes/fakeDiscord.js';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { ENGINES } from '../support/engines.js';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, createRole, quotaCommand, usageCommand, type CommandReply, type Invoker } from '../support/quotaCommands.js';

const NO_PERMISSION = /Only members with the Manage Server permission \(or a quota admin role\)/;
/** QUOTA_TRANSCRIPT=path writes what members saw, for the README. */
const transcript: string[] = [];

describe.each(ENGINES)('/quota and /usage (%s)', (engine) => {
  let harness: Harness;
  let image: Buffer;
  const moderator: Invoker = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS };
  const member: Invoker = { userId: snowflake() };
  const quotaAdminRole = snowflake();

  beforeEach(async () => {
    harness = await startHarness({ engine, operatorQuotaDefaults: true, env: { QUOTA_ADMIN_ROLE_IDS: quotaAdminRole } });
    image ??= await makeImage(512, 512);
  });
  afterEach(async () => {
    await harness.close();
  });
  afterAll(() => {
    if (engine === 'sqlite' && process.env.QUOTA_TRANSCRIPT) writeFileSync(process.env.QUOTA_TRANSCRIPT, transcript.join('\n'));
  });

  function seen(what: string, reply: CommandReply): CommandReply {
    if (engine === 'sqlite') transcript.push(`> ${what}`, reply.text, '');
    return reply;
  }

  async function animateAs(invoker: Invoker, extra: SlashOptionInput[] = []) {
    const handle = await harness.discord.sendCommand({
      name: 'animate',
      ...invoker,
      options: [
        { name: 'image', type: 11, attachment: { filename: 'picture.png', bytes: image, contentType: 'image/png' } },
        { name: 'prompt', type: 3, value: 'the cat blinks' },
        ...extra,
      ],
    });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    return { handle, final, text: contentOf(final) };
  }

  it("shows anyone the server's rules and this period's spending, privately", async () => {
    const before = seen('/quota show', await quotaCommand(harness, 'show', [], member));
    expect(before.ephemeral).toBe(true);
    expect(before.text).toContain('**Budget:** $0.00 of $10.00 used this month — **$10.00 left** (≈ 13 clips at the default settings, $0.75 each)');
    expect(before.text).toMatch(/resets <t:\d+:R>/);
    expect(before.text).toContain('Clips per day: 5 *(default)*');
    expect(before.text).toContain('Channels: every channel');

    const { handle, text } = await animateAs(member);
    expect(text).toContain('✅');
    const costLine = handle.events().map(contentOf).find((t) => t.includes('uses $'));
    expect(costLine).toContain('uses $0.75 — $9.25 left this month');
    if (engine === 'sqlite') transcript.push('> /animate (the progress line while preparing)', costLine?.split('\n').at(-1) ?? '', '');

    const after = await quotaCommand(harness, 'show', [], member);
    expect(after.text).toContain('$0.75 of $10.00 used this month — **$9.25 left** (≈ 12 clips');
    expect(after.event.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('lets a moderator set the budget and member limits, and keeps the history of who changed what', async () => {
    const budget = seen(
      '/quota budget amount:7.5 period:week (moderator)',
      await quotaCommand(harness, 'budget', [{ name: 'amount', type: 10, value: 7.5 }, { name: 'period', type: 3, value: 'week' }], moderator),
    );
    expect(budget.ephemeral).toBe(true);
    expect(budget.text).toContain('**budget**: default → $7.50');
    expect(budget.text).toContain('**budget period**: default → week');
    expect(budget.text).toContain('Now: $0.00 of $7.50 used this week, $7.50 left (≈ 10 clips).');

    const members = seen(
      '/quota members clips_per_day:3 cooldown_seconds:30 concurrent:0 (moderator)',
      await quotaCommand(
        harness,
        'members',
        [
          { name: 'clips_per_day', type: 4, value: 3 },
          { name: 'cooldown_seconds', type: 4, value: 30 },
          { name: 'concurrent', type: 4, value: 0 },
        ],
        moderator,
      ),
    );
    expect(members.text).toContain('**clips per member per day**: default → 3');
    expect(members.text).toContain('**cooldown between a member’s videos**: default → 30 s');
    expect(members.text).toContain('**videos at once per member**: default → no limit');

    const limits = seen(
      '/quota limits resolutions:480p,720p max_duration:5 audio:false server_concurrent:3 (moderator)',
      await quotaCommand(
        harness,
        'limits',
        [
          { name: 'resolutions', type: 3, value: '480p,720p' },
          { name: 'max_duration', type: 4, value: 5 },
          { name: 'audio', type: 5, value: false },
          { name: 'server_concurrent', type: 4, value: 3 },
        ],
        moderator,
      ),
    );
    expect(limits.text).toContain('**resolutions**: default → 480p, 720p');

    const show = seen('/quota show', await quotaCommand(harness, 'show', [], member));
    expect(show.text).toContain('$0.00 of $7.50 used this week');
    expect(show.text).toContain('Period: per week (UTC)');
    expect(show.text).toContain('Cooldown: 30 s\n');
    expect(show.text).toContain('Resolutions: 480p, 720p\n');
    expect(show.text).toContain('Audio: not allowed');

    const history = seen('/quota history (moderator)', await quotaCommand(harness, 'history', [], moderator));
    expect(history.text).toMatch(new RegExp(`<t:\\d+:f> <@${moderator.userId}> \\*\\*budget\\*\\*: default → \\$7\\.50`));
    expect(history.text.split('\n').filter((line) => line.includes(`<@${moderator.userId}>`))).toHaveLength(9);

    const unset = seen('/quota unset setting:budget (moderator)', await quotaCommand(harness, 'unset', [{ name: 'setting', type: 3, value: 'budget' }], moderator));
    expect(unset.text).toContain('**budget**: $7.50 → default');
    expect((await quotaCommand(harness, 'show', [], member)).text).toContain('of $10.00 used this month');
  });

  it('refuses every changing subcommand to a member without Manage Server, and changes nothing', async () => {
    const role = await createRole(harness, 'regulars');
    const attempts: Array<[string, Parameters<typeof quotaCommand>[2]]> = [
      ['budget', [{ name: 'amount', type: 10, value: 1000 }]],
      ['members', [{ name: 'clips_per_day', type: 4, value: 0 }]],
      ['limits', [{ name: 'server_concurrent', type: 4, value: 0 }]],
      ['channels', [{ name: 'action', type: 3, value: 'clear' }]],
      ['roles', [{ name: 'action', type: 3, value: 'clear' }]],
      ['exempt', [{ name: 'action', type: 3, value: 'add' }, { name: 'role', type: 8, value: role }]],
      ['modlog', [{ name: 'channel', type: 7, value: harness.discord.channelId }]],
      ['reset', [{ name: 'member', type: 6, user: { id: member.userId! } }]],
      ['unset', [{ name: 'setting', type: 3, value: 'all' }]],
      ['history', []],
      ['top', []],
    ];
    // Neither a plain member nor one whose role the operator did not list.
    for (const invoker of [member, { ...member, memberRoles: [role] }]) {
      for (const [subcommand, options] of attempts) {
        const reply = await quotaCommand(harness, subcommand, options, invoker);
        expect(reply.ephemeral, subcommand).toBe(true);
        expect(reply.text, subcommand).toMatch(NO_PERMISSION);
      }
    }
    seen('/quota budget amount:1000 (member without Manage Server)', await quotaCommand(harness, 'budget', [{ name: 'amount', type: 10, value: 1000 }], member));
    expect(await harness.app.quota.history(harness.discord.guildId)).toEqual([]);
    expect((await harness.app.quota.overview(harness.discord.guildId)).rules.budgetCents).toBe(1000);

    // A role in QUOTA_ADMIN_ROLE_IDS is enough, without Manage Server.
    await createRoleWithId(harness, quotaAdminRole);
    const allowed = await quotaCommand(harness, 'budget', [{ name: 'amount', type: 10, value: 12 }], { ...member, memberRoles: [quotaAdminRole] });
    expect(allowed.text).toContain('**budget**: default → $12.00');

    // The operator's cap on budgets holds for moderators too.
    const tooMuch = await quotaCommand(harness, 'budget', [{ name: 'amount', type: 10, value: 5000 }], moderator);
    expect(tooMuch.text).toContain('❌ The budget can be at most $1000.00 per period');
  });

  it('tells a member whose role may not use /animate which roles may, privately and without charging', async () => {
    const artists = await createRole(harness, 'artists');
    const roles = seen(
      '/quota roles action:add role:@artists (moderator)',
      await quotaCommand(harness, 'roles', [{ name: 'action', type: 3, value: 'add' }, { name: 'role', type: 8, value: artists }], moderator),
    );
    expect(roles.text).toContain(`**roles that may use /animate**: everyone → <@&${artists}>`);

    const refused = await animateAs(member);
    if (engine === 'sqlite') transcript.push('> /animate (member without the role)', refused.text, '');
    expect(refused.final.kind).toBe('callback');
    expect(refused.final.body.data.flags & 64).toBe(64);
    expect(refused.text).toBe(`❌ On this server only members with one of these roles may use /animate: <@&${artists}>.`);
    expect(harness.fal.calls).toHaveLength(0);
    expect((await harness.app.quota.overview(harness.discord.guildId)).spentCents).toBe(0);

    const allowed = await animateAs({ ...member, memberRoles: [artists] });
    expect(allowed.text).toContain('✅');
  });

  it('keeps /animate to the listed channels and to what the limits allow', async () => {
    const art = snowflake();
    // Sending from the channel makes the fake know it (a real server has it already).
    await quotaCommand(harness, 'channels', [{ name: 'action', type: 3, value: 'add' }, { name: 'channel', type: 7, value: art }], { ...moderator, channelId: art });
    const elsewhere = await animateAs(member);
    expect(elsewhere.text).toBe(`❌ /animate does not work in this channel. Try it in <#${art}>.`);

    await quotaCommand(harness, 'limits', [{ name: 'resolutions', type: 3, value: '480p,720p' }, { name: 'max_duration', type: 4, value: 5 }], moderator);
    const tooSharp = await animateAs({ ...member, channelId: art }, [{ name: 'resolution', type: 3, value: '1080p' }]);
    expect(tooSharp.text).toBe('❌ 1080p is not allowed on this server. Choose 480p or 720p.');
    const tooLong = await animateAs({ ...member, channelId: art }, [{ name: 'resolution', type: 3, value: '720p' }, { name: 'duration', type: 3, value: '10' }]);
    expect(tooLong.text).toMatch(/^❌ Videos longer than 5 seconds are not allowed/);
    expect(harness.fal.calls).toHaveLength(0);

    const ok = await animateAs({ ...member, channelId: art }, [{ name: 'resolution', type: 3, value: '480p' }]);
    expect(ok.text).toContain('✅');
    expect(ok.handle.events().map(contentOf).some((t) => t.includes('uses $0.25 — $9.75 left this month'))).toBe(true);
  });

  it("resets a member's clips for the day and lists the biggest spenders", async () => {
    await quotaCommand(harness, 'members', [{ name: 'clips_per_day', type: 4, value: 1 }], moderator);
    const other: Invoker = { userId: snowflake() };
    expect((await animateAs(member)).text).toContain('✅');
    const second = await animateAs(member);
    if (engine === 'sqlite') transcript.push('> /animate (second clip of the day, limit 1)', second.text, '');
    expect(second.text).toMatch(/^❌ You have made your 1 video for today on this server\. You can make more <t:\d+:R>\.$/);
    expect(second.final.body.data.flags & 64).toBe(64);

    const reset = seen('/quota reset member:@member (moderator)', await quotaCommand(harness, 'reset', [{ name: 'member', type: 6, user: { id: member.userId! } }], moderator));
    expect(reset.text).toContain(`<@${member.userId}> has today’s clips and cooldown back`);
    expect((await animateAs(member)).text).toContain('✅');
    expect((await animateAs(other)).text).toContain('✅');

    const top = seen('/quota top (moderator)', await quotaCommand(harness, 'top', [], moderator));
    expect(top.text).toContain(`1. <@${member.userId}> — $1.50 (2 clips)\n2. <@${other.userId}> — $0.75 (1 clip)`);
    const history = await quotaCommand(harness, 'history', [], moderator);
    expect(history.text).toContain(`<@${moderator.userId}> reset <@${member.userId}>’s use`);
  });

  it("shows members their own use, and moderators anyone's", async () => {
    expect((await animateAs(member)).text).toContain('✅');
    const own = seen('/usage', await usageCommand(harness, undefined, member));
    expect(own.ephemeral).toBe(true);
    expect(own.text).toContain('You spent **$0.75** this month.');
    expect(own.text).toMatch(/1 of 5 · \*\*4 left\*\* \(more <t:\d+:R>\)/);
    expect(own.text).toContain('$9.25 left of $10.00 this month (≈ 12 clips)');

    const other: Invoker = { userId: snowflake() };
    const refused = seen('/usage member:@member (someone else, no permission)', await usageCommand(harness, member.userId, other));
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toMatch(NO_PERMISSION);
    // Asking about oneself by name is fine.
    expect((await usageCommand(harness, other.userId, other)).text).toContain('You spent **$0.00**');

    const byModerator = seen('/usage member:@member (moderator)', await usageCommand(harness, member.userId, moderator));
    expect(byModerator.text).toContain(`<@${member.userId}> spent **$0.75** this month.`);
  });

  it('sends budget alerts to the mod-log channel it was given', async () => {
    const modLog = snowflake();
    const set = seen(
      '/quota modlog channel:#mod-log (moderator)',
      await quotaCommand(harness, 'modlog', [{ name: 'channel', type: 7, value: modLog }], { ...moderator, channelId: modLog }),
    );
    expect(set.text).toContain(`**mod-log channel**: off → <#${modLog}>`);
    expect((await quotaCommand(harness, 'show', [], member)).text).toContain(`Mod-log: <#${modLog}>`);
    const off = await quotaCommand(harness, 'modlog', [], moderator);
    expect(off.text).toContain(`**mod-log channel**: <#${modLog}> → off`);
  });
});

/** A role the operator named in QUOTA_ADMIN_ROLE_IDS, made known to the fake guild. */
async function createRoleWithId(harness: Harness, id: string): Promise<void> {
  const gateway = (harness.discord as unknown as { gateway: { dispatch(t: string, d: unknown): void } }).gateway;
  gateway.dispatch('GUILD_ROLE_CREATE', {
    guild_id: harness.discord.guildId,
    role: { id, name: 'quota admins', permissions: '0', position: 2, color: 0, hoist: false, managed: false, mentionable: false, icon: null, unicode_emoji: null, flags: 0 },
  });
  await harness.discord.waitFor(() => harness.app.client.guilds.cache.get(harness.discord.guildId)?.roles.cache.has(id));
}
