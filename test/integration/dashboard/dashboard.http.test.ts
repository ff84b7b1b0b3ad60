import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_OAUTH_CLIENT_SECRET } from '../../fakes/fakeDiscordOAuth.js';
import { DEFAULT_MEMBER_PERMISSIONS } from '../../fakes/fakeDiscordPayloads.js';
import {
  DashboardClient,
  TEST_SESSION_SECRET,
  csrfTokenIn,
  dashboardEnv,
  formFieldsIn,
  freePort,
  seedJobs,
  startDashboard,
  type RunningDashboard,
} from '../../support/dashboard.js';
import { FAKE_DISCORD_TOKEN, animate, finalMessage, startHarness, type Harness } from '../../support/harness.js';
import { makeImage } from '../../support/images.js';
import { MODERATOR_PERMISSIONS, quotaCommand } from '../../support/quotaCommands.js';

/**
 * The dashboard at HTTP level, against the real bot and the fake Discord:
 * login and its `state`, CSRF, other servers' ids, sessions that end,
 * permissions asked of Discord again, rate limits, and what pages and logs
 * must never contain.
 */
describe('the dashboard over HTTP', () => {
  let h: Harness;
  let dashboard: RunningDashboard;
  let clockOffsetMs = 0;
  const ADMIN_ROLE = '411111111111111111';
  const ids = { moderator: '', member: '', quotaAdmin: '', otherGuild: '', memberOnlyGuild: '', botlessGuild: '', strangersGuild: '' };
  const path = (guildId: string, page = '') => `/dashboard/servers/${guildId}${page}`;

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({ operatorQuotaDefaults: true, env: { ...dashboardEnv(port), QUOTA_ADMIN_ROLE_IDS: ADMIN_ROLE } });
    dashboard = await startDashboard(h, port, {
      now: () => Date.now() + clockOffsetMs,
      // Every test logs in; one minute holds many of them. The change limit is tested below at 8.
      rateLimits: { loginsPerMinute: 1_000, changesPerMinute: 8, chartsPerMinute: 1_000 },
    });
    const { oauth, guildId } = h.discord;
    ids.moderator = oauth.addUser({ username: 'mod', globalName: 'Morgan the Moderator' });
    ids.member = oauth.addUser({ username: 'member', globalName: 'Mia Member' });
    ids.quotaAdmin = oauth.addUser({ username: 'quotaadmin' });
    oauth.addRole(guildId, 'Quota admins', ADMIN_ROLE);
    oauth.join(ids.moderator, guildId, { permissions: MODERATOR_PERMISSIONS });
    oauth.join(ids.member, guildId);
    oauth.join(ids.quotaAdmin, guildId, { roles: [ADMIN_ROLE] });
    // A server the moderator merely belongs to, one they are not in, one without the bot, one with only strangers.
    ids.memberOnlyGuild = oauth.addGuild({ name: 'Book Club Secrets' });
    oauth.join(ids.moderator, ids.memberOnlyGuild);
    ids.otherGuild = oauth.addGuild({ name: 'Other Server Private' });
    oauth.join(ids.member, ids.otherGuild, { permissions: MODERATOR_PERMISSIONS });
    ids.botlessGuild = oauth.addGuild({ name: 'No Bot Here', botPresent: false });
    oauth.join(ids.moderator, ids.botlessGuild, { permissions: MODERATOR_PERMISSIONS });
    ids.strangersGuild = oauth.addGuild({ name: 'Strangers Only' });
  });
  afterAll(async () => {
    await dashboard?.close();
    await h?.close();
  });
  /** The dashboard's clock only moves forward, as a clock does: answers it keeps for 30 s then go stale. */
  function advance(ms: number): void {
    clockOffsetMs += ms;
  }

  async function loggedIn(userId: string): Promise<DashboardClient> {
    const client = new DashboardClient(dashboard.url);
    await client.login(h, userId);
    return client;
  }

  it('logs a moderator in with Discord and lists the servers shared with the bot, managed ones first', async () => {
    const client = new DashboardClient(dashboard.url);
    expect((await client.get('/')).location).toBe('/dashboard/');
    expect((await client.get('/dashboard/')).text).toContain('Log in with Discord');
    const start = await client.get('/dashboard/login');
    expect(start.status).toBe(302);
    const authorize = new URL(start.location ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.discord.cdnBaseUrl}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: h.discord.applicationId,
      scope: 'identify guilds',
      redirect_uri: `${dashboard.url}/dashboard/auth/callback`,
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
    const stateCookie = start.headers.getSetCookie().find((line) => line.startsWith('dash_oauth_state='));
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);

    h.discord.oauth.authorizeAs(ids.moderator);
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = await client.get(back.headers.get('location') ?? '');
    expect(callback.status).toBe(303);
    const sessionCookie = callback.headers.getSetCookie().find((line) => line.startsWith('dash_session='));
    expect(sessionCookie).toMatch(/; Path=\/dashboard/);
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Lax/);
    // Over plain http (this test); PUBLIC_URL with https makes it Secure (config test).
    expect(sessionCookie).not.toMatch(/Secure/);
    expect(client.cookies.has('dash_oauth_state')).toBe(false);

    const home = await client.get('/dashboard/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Morgan the Moderator');
    // The secret behind the page's CSRF tokens, in a cookie as guarded as the session's.
    const csrfCookie = home.headers.getSetCookie().find((line) => line.startsWith('dash_csrf='));
    expect(csrfCookie).toMatch(/; Path=\/dashboard; HttpOnly; SameSite=Lax$/);
    const managed = home.text.indexOf('Servers you manage');
    const others = home.text.indexOf('Your usage on other servers');
    expect(home.text.indexOf('Fake Guild')).toBeGreaterThan(managed);
    expect(home.text.indexOf('Book Club Secrets')).toBeGreaterThan(others);
    expect(home.text).not.toContain('No Bot Here');
    expect(home.text).not.toContain('Strangers Only');
  });

  it('refuses a return from Discord with a state this browser was not given, and never exchanges its code', async () => {
    const tokenCalls = () => h.discord.oauth.requests.filter((request) => request.path.endsWith('/oauth2/token')).length;
    const before = tokenCalls();
    h.discord.oauth.authorizeAs(ids.moderator);

    // A login link made in another browser (an attacker's), opened here.
    const attacker = new DashboardClient(dashboard.url);
    const attackerStart = await attacker.get('/dashboard/login');
    const attackerReturn = (await fetch(attackerStart.location ?? '', { redirect: 'manual' })).headers.get('location') ?? '';
    const victim = new DashboardClient(dashboard.url);
    const planted = await victim.get(attackerReturn);
    expect(planted.status).toBe(400);
    expect(planted.text).toContain('This login link is not valid');
    expect(victim.cookies.has('dash_session')).toBe(false);

    // This browser's own login, with the state changed on the way back.
    await victim.get('/dashboard/login');
    const forged = new URL(attackerReturn);
    forged.searchParams.set('state', 'forged-state-value-000000000000000');
    expect((await victim.get(forged.toString())).status).toBe(400);
    expect(victim.cookies.has('dash_session')).toBe(false);
    expect(tokenCalls()).toBe(before);

    // The state is good once: the same return, replayed after a login, is refused.
    const honest = new DashboardClient(dashboard.url);
    const start = await honest.get('/dashboard/login');
    const back = (await fetch(start.location ?? '', { redirect: 'manual' })).headers.get('location') ?? '';
    expect((await honest.get(back)).status).toBe(303);
    honest.cookies.delete('dash_session');
    expect((await honest.get(back)).status).toBe(400);
  });

  it('says so when the member cancels on Discord’s page', async () => {
    const client = new DashboardClient(dashboard.url);
    h.discord.oauth.denyNext();
    const start = await client.get('/dashboard/login');
    const back = (await fetch(start.location ?? '', { redirect: 'manual' })).headers.get('location') ?? '';
    const page = await client.get(back);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You did not log in');
    expect(client.cookies.has('dash_session')).toBe(false);
  });

  it('refuses a change without this session’s CSRF token, and takes it with the token', async () => {
    const moderator = await loggedIn(ids.moderator);
    const member = await loggedIn(ids.member);
    const page = await moderator.get(path(h.discord.guildId));
    const fields = formFieldsIn(page.text);
    const { _csrf: _token, ...withoutToken } = fields;

    const missing = await moderator.post(path(h.discord.guildId, '/settings'), { ...withoutToken, memberClipsPerDay: '9' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('This form has expired');
    const othersToken = csrfTokenIn((await member.get('/dashboard/')).text);
    const borrowed = await moderator.post(path(h.discord.guildId, '/settings'), { ...withoutToken, _csrf: othersToken, memberClipsPerDay: '9' });
    expect(borrowed.status).toBe(403);
    expect((await h.app.quota.overview(h.discord.guildId)).settings.memberClipsPerDay).toBeNull();

    const saved = await moderator.post(path(h.discord.guildId, '/settings'), { ...fields, memberClipsPerDay: '9' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(path(h.discord.guildId));
    expect((await h.app.quota.overview(h.discord.guildId)).settings.memberClipsPerDay).toBe(9);
    expect((await moderator.get(path(h.discord.guildId))).text).toContain('Saved: Clips per member per day: default → 9.');
    await h.app.quota.updateSettings(h.discord.guildId, ids.moderator, { memberClipsPerDay: null });
  });

  it('shows nobody another server’s data: 403 wherever they are not a moderator, not a member, or the bot is not', async () => {
    const moderator = await loggedIn(ids.moderator);
    for (const [guildId, name] of [
      [ids.memberOnlyGuild, 'Book Club Secrets'],
      [ids.otherGuild, 'Other Server Private'],
      [ids.botlessGuild, 'No Bot Here'],
      [ids.strangersGuild, 'Strangers Only'],
      ['123456789012345678', null],
    ] as const) {
      for (const page of ['', '/jobs', '/audit', '/charts/spend-per-day.png']) {
        const answer = await moderator.get(path(guildId, page));
        expect(answer.status, `${name} ${page}`).toBe(403);
        if (name) expect(answer.text).not.toContain(name);
      }
      const change = await moderator.post(path(guildId, '/settings'), { _csrf: csrfTokenIn((await moderator.get('/dashboard/')).text), budgetCents: '999' });
      expect(change.status).toBe(403);
    }
    // Where the moderator is a plain member they see their own usage, nothing else.
    expect((await moderator.get(path(ids.memberOnlyGuild, '/usage'))).status).toBe(200);
    expect((await moderator.get(path(ids.botlessGuild, '/usage'))).status).toBe(403);
    expect((await moderator.get('/dashboard/servers/not-a-server')).status).toBe(404);

    const member = await loggedIn(ids.member);
    expect((await member.get(path(h.discord.guildId))).status).toBe(403);
    const own = await member.get(path(h.discord.guildId, '/usage'));
    expect(own.status).toBe(200);
    expect(own.text).toContain('My usage');
    expect(own.text).not.toContain('Job history');
    expect((await member.get(path(h.discord.guildId, `/usage?member=${ids.moderator}`))).status).toBe(403);
    expect((await moderator.get(path(h.discord.guildId, `/usage?member=${ids.member}`))).text).toContain('Usage of Mia Member');
  });

  it('asks Discord again: Manage Server taken away closes the pages once the 30 s answer is stale', async () => {
    const moderator = await loggedIn(ids.moderator);
    const guildLists = () => h.discord.oauth.requests.filter((request) => request.path.endsWith('/users/@me/guilds') && request.auth === 'bearer').length;
    expect((await moderator.get(path(h.discord.guildId))).status).toBe(200);
    const asked = guildLists();
    h.discord.oauth.join(ids.moderator, h.discord.guildId, { permissions: DEFAULT_MEMBER_PERMISSIONS });
    try {
      advance(31_000);
      expect((await moderator.get(path(h.discord.guildId))).status).toBe(403);
      expect(guildLists()).toBe(asked + 1);
      h.discord.oauth.join(ids.moderator, h.discord.guildId, { permissions: (BigInt(DEFAULT_MEMBER_PERMISSIONS) | PermissionFlagsBits.Administrator).toString() });
      advance(31_000);
      expect((await moderator.get(path(h.discord.guildId))).status).toBe(200);
    } finally {
      h.discord.oauth.join(ids.moderator, h.discord.guildId, { permissions: MODERATOR_PERMISSIONS });
    }
  });

  it('counts a quota admin role, read with the bot token, and stops counting it when it is taken away', async () => {
    const admin = await loggedIn(ids.quotaAdmin);
    expect((await admin.get(path(h.discord.guildId))).status).toBe(200);
    const lookup = h.discord.oauth.requests.find((request) => request.path.endsWith(`/guilds/${h.discord.guildId}/members/${ids.quotaAdmin}`));
    expect(lookup?.auth).toBe('bot');
    h.discord.oauth.join(ids.quotaAdmin, h.discord.guildId, { roles: [] });
    try {
      advance(31_000);
      expect((await admin.get(path(h.discord.guildId))).status).toBe(403);
    } finally {
      h.discord.oauth.join(ids.quotaAdmin, h.discord.guildId, { roles: [ADMIN_ROLE] });
    }
  });

  it('ends an expired session: pages lead to the login, a change gets 401 and changes nothing', async () => {
    const moderator = await loggedIn(ids.moderator);
    const fields = formFieldsIn((await moderator.get(path(h.discord.guildId))).text);
    advance(12 * 60 * 60_000 + 60_000);
    const page = await moderator.get(path(h.discord.guildId));
    expect(page.status).toBe(303);
    expect(page.location).toBe('/dashboard/?notice=ended');
    expect((await moderator.get(page.location ?? '')).text).toContain('Your session has ended');
    const change = await moderator.post(path(h.discord.guildId, '/settings'), { ...fields, budgetCents: '1.00' });
    expect(change.status).toBe(401);
    expect((await h.app.quota.overview(h.discord.guildId)).settings.budgetCents).toBeNull();
    expect((await moderator.get(path(h.discord.guildId, '/charts/spend-per-day.png'))).status).toBe(401);
  });

  it('sends someone whose Discord token was revoked back to the login', async () => {
    const member = await loggedIn(ids.member);
    h.discord.oauth.revokeTokensOf(ids.member);
    advance(31_000);
    const page = await member.get(path(h.discord.guildId, '/usage'));
    expect(page.status).toBe(303);
    expect(page.location).toBe('/dashboard/?notice=revoked');
    expect(member.cookies.has('dash_session')).toBe(false);
  });

  it('logs out: the session ends here and the token at Discord', async () => {
    const moderator = await loggedIn(ids.moderator);
    const tokensBefore = h.discord.oauth.liveTokens().length;
    const home = await moderator.get('/dashboard/');
    const out = await moderator.post('/dashboard/logout', { _csrf: csrfTokenIn(home.text) });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/dashboard/?notice=logged-out');
    expect(moderator.cookies.has('dash_session')).toBe(false);
    await h.discord.waitFor(() => h.discord.oauth.liveTokens().length === tokensBefore - 1);
    expect((await moderator.get(path(h.discord.guildId))).status).toBe(303);
  });

  it('audits a change as made on the dashboard and announces it in the mod-log like /quota’s lines', async () => {
    const modLog = h.discord.oauth.addChannel(h.discord.guildId, { name: 'mod-log' });
    // The server's channel list is kept 30 s: a new channel shows after that.
    advance(31_000);
    const moderator = await loggedIn(ids.moderator);
    const fields = formFieldsIn((await moderator.get(path(h.discord.guildId))).text);
    const saved = await moderator.post(path(h.discord.guildId, '/settings'), { ...fields, modLogChannelId: modLog, budgetCents: '12.5' });
    expect(saved.status, /error-summary[\s\S]*?<\/div>/.exec(saved.text)?.[0]).toBe(303);
    const announcement = await h.discord.waitFor(() => h.discord.channelMessages.find((message) => message.channelId === modLog));
    expect(announcement.body.content).toBe(`<@${ids.moderator}> changed this server’s /animate quotas on the dashboard:`);
    expect(announcement.body.allowed_mentions).toEqual({ parse: [] });
    const [embed] = announcement.body.embeds as Array<{ title: string; description: string }>;
    expect(embed?.title).toBe('Quota updated via the dashboard');
    expect(embed?.description).toContain('**budget**: default → $12.50');
    expect(embed?.description).toContain(`**mod-log channel**: off → <#${modLog}>`);

    const audit = await moderator.get(path(h.discord.guildId, '/audit'));
    expect(audit.text).toMatch(/Morgan the Moderator<\/bdi><\/div><\/td>\s*<td data-label="Setting"><div>budget<\/div><\/td>\s*<td data-label="Change"><div><bdi>default → \$12.50<\/bdi><\/div><\/td>\s*<td data-label="Where"><div>dashboard<\/div>/);
    const history = await quotaCommand(h, 'history', [], { userId: ids.moderator, memberPermissions: MODERATOR_PERMISSIONS });
    expect(history.text).toContain('**budget**: default → $12.50 *(via dashboard)*');

    // Discord refusing the announcement does not undo the change; the moderator is told.
    h.discord.failNext({ method: 'POST', pathIncludes: `/channels/${modLog}/messages` }, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const again = formFieldsIn((await moderator.get(path(h.discord.guildId))).text);
    expect((await moderator.post(path(h.discord.guildId, '/settings'), { ...again, budgetCents: '13' })).status).toBe(303);
    expect((await moderator.get(path(h.discord.guildId))).text).toContain(
      'Saved: Budget: $12.50 → $13.00. Discord refused the announcement in the mod-log channel; the change is saved.',
    );
    expect((await h.app.quota.overview(h.discord.guildId)).settings.budgetCents).toBe(1300);
    await h.app.quota.updateSettings(h.discord.guildId, ids.moderator, { modLogChannelId: null, budgetCents: null });
  });

  it('validates like /quota: the form comes back with the rule’s words and nothing is saved', async () => {
    const moderator = await loggedIn(ids.moderator);
    const fields = formFieldsIn((await moderator.get(path(h.discord.guildId))).text);
    const refused = await moderator.post(path(h.discord.guildId, '/settings'), { ...fields, budgetCents: '5000', memberConcurrentJobs: 'two' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Nothing was saved: 2 values need correcting');
    expect(refused.text).toContain('The budget can be at most $1000.00 per period (the bot&#39;s operator sets this cap).');
    expect(refused.text).toContain('value="5000" aria-describedby="field-budgetCents-hint field-budgetCents-error" aria-invalid="true"');
    // The same words /quota answers with.
    const viaQuota = await quotaCommand(h, 'budget', [{ name: 'amount', type: 10, value: 5000 }], { userId: ids.moderator, memberPermissions: MODERATOR_PERMISSIONS });
    expect(viaQuota.text).toContain("The budget can be at most $1000.00 per period (the bot's operator sets this cap).");
    expect((await h.app.quota.overview(h.discord.guildId)).settings.budgetCents).toBeNull();
  });

  it('limits how often one session may change things', async () => {
    const moderator = await loggedIn(ids.moderator);
    const fields = formFieldsIn((await moderator.get(path(h.discord.guildId))).text);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 9; attempt += 1) statuses.push((await moderator.post(path(h.discord.guildId, '/settings'), fields)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 303, 303, 303, 429]);
  });

  it('lists a real /animate job with a link to the member’s reply in Discord', async () => {
    const handle = await animate(h, { image: await makeImage(512, 512), userId: ids.member, prompt: 'a <b>bold</b> heron & the moon' });
    await finalMessage(handle);
    await h.app.jobs.idle();
    const replyId = String(handle.originalMessage()?.id);
    const [job] = await h.app.store.db.selectFrom('jobs').select(['reply_message_id', 'state']).where('interaction_id', '=', handle.id).execute();
    expect(job).toEqual({ reply_message_id: replyId, state: 'delivered' });

    const moderator = await loggedIn(ids.moderator);
    const history = await moderator.get(path(h.discord.guildId, `/jobs?member=${ids.member}`));
    expect(history.text).toContain('<bdi>a &lt;b&gt;bold&lt;/b&gt; heron &amp; the moon</bdi>');
    expect(history.text).toContain(`href="https://discord.com/channels/${h.discord.guildId}/${h.discord.channelId}/${replyId}">Open in Discord</a>`);
    expect(history.text).toContain('<span class="state delivered">Delivered</span>');
  });

  it('serves the charts as PNG from the bot itself, to moderators only', async () => {
    const moderator = await loggedIn(ids.moderator);
    await seedJobs(h.app.store, [{ userId: ids.quotaAdmin, createdAt: Date.now() - 60_000, guildId: h.discord.guildId, channelId: h.discord.channelId, resolution: '720p', costCents: 50 }]);
    const page = await moderator.get(path(h.discord.guildId));
    const sources = [...page.text.matchAll(/<img src="([^"]+)" alt="([^"]+)"/g)].map((match) => [match[1], match[2]]);
    expect(sources.map(([src]) => src)).toEqual(['spend-per-day', 'spend-per-member', 'spend-per-resolution'].map((chart) => path(h.discord.guildId, `/charts/${chart}.png`)));
    expect(sources[1]?.[1]).toContain('quotaadmin $0.50');
    expect(sources[2]?.[1]).toContain('720p $0.50 (1 clip)');
    for (const [src] of sources) {
      const response = await fetch(`${dashboard.url}${src}`, { headers: { cookie: `dash_session=${moderator.cookies.get('dash_session')}` } });
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('private, max-age=60');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
    const member = await loggedIn(ids.member);
    expect((await member.get(path(h.discord.guildId, '/charts/spend-per-member.png'))).status).toBe(403);
    expect((await moderator.get(path(h.discord.guildId, '/charts/secrets.png'))).status).toBe(404);
  });

  it('loads nothing from outside, forbids script and framing, and keeps pages out of caches', async () => {
    const moderator = await loggedIn(ids.moderator);
    for (const page of ['/dashboard/', path(h.discord.guildId), path(h.discord.guildId, '/jobs'), path(h.discord.guildId, '/audit'), path(h.discord.guildId, '/usage')]) {
      const answer = await moderator.get(page);
      expect(answer.status, page).toBe(200);
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      for (const [, attribute, url] of answer.text.matchAll(/\b(src|href|action)="([^"]*)"/g)) {
        // Links into Discord are links (the person clicks them), never assets.
        if (attribute === 'href' && url?.startsWith('https://discord.com/channels/')) continue;
        expect(url, `${attribute} on ${page}`).toMatch(/^(\/|#)/);
      }
      expect(answer.text).not.toMatch(/<script|\son[a-z]+=/i);
    }
    const css = await moderator.get('/dashboard/assets/dashboard.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.text).not.toMatch(/url\(|@import/);
  });

  it('never puts a token or a secret in a page, a cookie or a log line', async () => {
    const moderator = await loggedIn(ids.moderator);
    const pages = await Promise.all(['/dashboard/', path(h.discord.guildId), path(h.discord.guildId, '/audit')].map((page) => moderator.get(page)));
    const secrets = [FAKE_OAUTH_CLIENT_SECRET, TEST_SESSION_SECRET, FAKE_DISCORD_TOKEN, ...h.discord.oauth.liveTokens()];
    expect(secrets.length).toBeGreaterThan(3);
    const everything = [...pages.map((page) => page.text), ...moderator.cookies.values(), ...dashboard.logLines, ...h.logLines].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The authorization codes the fake handed out were in callback URLs: never in a log line.
    expect(dashboard.logLines.join('\n')).not.toMatch(/code=(?!\[redacted\])/);
  });
});

describe('the dashboard’s login limit', () => {
  let h: Harness;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({ env: dashboardEnv(port) });
    dashboard = await startDashboard(h, port);
  });
  afterAll(async () => {
    await dashboard?.close();
    await h?.close();
  });

  it('lets one address start ten logins a minute', async () => {
    const client = new DashboardClient(dashboard.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) statuses.push((await client.get('/dashboard/login')).status);
    expect(statuses).toEqual([...Array(10).fill(302), 429]);
    const refused = await client.get('/dashboard/login');
    expect(refused.text).toContain('Too many requests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
