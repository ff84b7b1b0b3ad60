import { afterAll, beforeAll, expect, it } from 'vitest';
import { MODERATOR_PERMISSIONS } from '../../support/quotaCommands.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { DashboardClient, csrfTokenIn, dashboardEnv, formFieldsIn, freePort, seedJobs, startDashboard, type RunningDashboard } from '../../support/dashboard.js';

let h: Harness; let d: RunningDashboard;
beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ env: dashboardEnv(port), operatorQuotaDefaults: true });
  d = await startDashboard(h, port);
});
afterAll(async () => { await d?.close(); await h?.close(); });

it('smoke', async () => {
  const mod = h.discord.oauth.addUser({ username: 'alice' });
  h.discord.oauth.join(mod, h.discord.guildId, { permissions: MODERATOR_PERMISSIONS });
  await seedJobs(h.app.store, [{ userId: mod, createdAt: Date.now() - 3600_000, guildId: h.discord.guildId, channelId: h.discord.channelId }]);
  const c = new DashboardClient(d.url);
  const home = await c.login(h, mod);
  console.log(home.status, home.text.slice(0, 3000));
  const page = await c.get(`/dashboard/servers/${h.discord.guildId}`);
  console.log(page.status, page.text.slice(0, 200));
  const fields = formFieldsIn(page.text);
  console.log(fields);
  const post = await c.post(`/dashboard/servers/${h.discord.guildId}/settings`, { ...fields, budgetCents: '7.50' });
  console.log(post.status, post.location, post.text.slice(0, 500));
  const after = await c.get(`/dashboard/servers/${h.discord.guildId}`);
  console.log(/class="flash"[^<]*<\/p>/.exec(after.text)?.[0]);
  for (const p of ['jobs', 'audit', 'usage', 'charts/spend-per-day.png', 'charts/spend-per-member.png', 'charts/spend-per-resolution.png']) {
    const t = Date.now();
    const r = await c.get(`/dashboard/servers/${h.discord.guildId}/${p}`);
    console.log(p, r.status, r.headers.get('content-type'), Date.now() - t, r.text.length);
  }
  console.log(d.logLines.slice(-5).join('\n'));
  expect(page.status).toBe(200);
});
