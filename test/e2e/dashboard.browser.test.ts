import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_PERMISSIONS } from '../fakes/fakeDiscordPayloads.js';
import { launchChromium } from '../support/browser.js';
import { dashboardEnv, freePort, seedJobs, startDashboard, type RunningDashboard } from '../support/dashboard.js';
import { startHarness, type Harness } from '../support/harness.js';
import { MODERATOR_PERMISSIONS, quotaCommand } from '../support/quotaCommands.js';

// The functions given to page.evaluate run in the browser. The project's tsconfig has no DOM
// library (the bot runs on Node), so the little of the DOM they touch is declared here.
interface DomElement {
  id: string;
  name: string;
  value: string;
  textContent: string | null;
  labels?: { length: number };
  complete?: boolean;
  naturalWidth?: number;
  naturalHeight?: number;
  getBoundingClientRect(): { top: number };
}
interface DomForm extends DomElement {
  method: string;
  action: string;
  append(child: DomElement): void;
  submit(): void;
}
declare const document: {
  activeElement: DomElement | null;
  images: DomElement[];
  documentElement: { scrollWidth: number };
  body: { append(child: DomElement): void };
  createElement(tag: 'form'): DomForm;
  createElement(tag: 'input'): DomElement;
  querySelector(selector: string): DomElement | null;
};
declare function getComputedStyle(element: DomElement, pseudo?: string): { outlineStyle: string; outlineWidth: string; display: string; content: string };

/**
 * The moderators' dashboard in headless Chromium, against the real bot and
 * the fake Discord: a moderator logs in with Discord and changes the budget
 * (then /quota show in Discord says the same), a member's change is refused,
 * the charts load as pictures from the bot's own server, the job history
 * pages, and all of it works with the keyboard and on a phone's screen.
 */
describe('the dashboard in a browser', () => {
  let h: Harness;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let clockOffsetMs = 0;
  let moderator = '';
  let member = '';
  const PHONE = { width: 390, height: 844 };

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({ operatorQuotaDefaults: true, env: dashboardEnv(port) });
    dashboard = await startDashboard(h, port, { now: () => Date.now() + clockOffsetMs });
    browser = await launchChromium();
    moderator = h.discord.oauth.addUser({ username: 'morgan', globalName: 'Morgan' });
    member = h.discord.oauth.addUser({ username: 'mia', globalName: 'Mia' });
    h.discord.oauth.join(moderator, h.discord.guildId, { permissions: MODERATOR_PERMISSIONS });
    h.discord.oauth.join(member, h.discord.guildId);
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await h?.close();
  });

  /** A fresh browser profile, logged in through the fake Discord's authorize page as `userId`. */
  async function logIn(userId: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    h.discord.oauth.authorizeAs(userId);
    await page.goto(`${dashboard.url}/`);
    await page.getByRole('link', { name: 'Log in with Discord' }).click();
    await page.getByRole('heading', { name: 'Your servers', level: 1 }).waitFor();
    return page;
  }

  it('logs a moderator in with Discord; a budget saved on the page is what /quota show says in Discord', async () => {
    const page = await logIn(moderator);
    await page.getByRole('link', { name: 'Fake Guild' }).click();
    await expect(page.getByRole('heading', { name: 'Budget and rules', level: 1 }).isVisible()).resolves.toBe(true);
    expect(await page.locator('.stat').first().textContent()).toBe('$0.00 of $10.00 used');

    await page.getByLabel('Budget (US dollars)').fill('7.50');
    await page.getByLabel('Budget period').selectOption('week');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Saved: Budget: default → $7.50 · budget period: default → week.');
    expect(await page.locator('.stat').first().textContent()).toBe('$0.00 of $7.50 used');

    const show = await quotaCommand(h, 'show', [], { userId: member });
    expect(show.text).toContain('**Budget:** $0.00 of $7.50 used this week — **$7.50 left** (≈ 10 clips at the default settings, $0.75 each)');
    expect(show.text).toContain('Period: per week (UTC)');
  });

  it('refuses a member’s change, and a moderator’s whose Manage Server was taken away meanwhile', async () => {
    const before = (await h.app.quota.overview(h.discord.guildId)).settings;
    const memberPage = await logIn(member);
    expect(await memberPage.locator('.badge').textContent()).toBe('Member: your usage');
    const direct = await memberPage.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}`);
    expect(direct?.status()).toBe(403);
    await memberPage.getByRole('heading', { name: 'You cannot see this page' }).waitFor();
    // A hand-made form with the member's own valid CSRF token (from the logout button): still refused.
    const [forged] = await Promise.all([
      memberPage.waitForResponse((response) => response.url().endsWith('/settings')),
      memberPage.evaluate((guildId) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `/dashboard/servers/${guildId}/settings`;
        const token = document.querySelector('input[name="_csrf"]')?.value ?? '';
        for (const [name, value] of [['_csrf', token], ['budgetCents', '1000'], ['was.budgetCents', '7.50']]) {
          const input = document.createElement('input');
          input.name = name ?? '';
          input.value = value ?? '';
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, h.discord.guildId),
    ]);
    expect(forged.status()).toBe(403);
    await context?.close();

    const moderatorPage = await logIn(moderator);
    await moderatorPage.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}`);
    await moderatorPage.getByLabel('Clips per member per day').fill('50');
    h.discord.oauth.join(moderator, h.discord.guildId, { permissions: DEFAULT_MEMBER_PERMISSIONS });
    try {
      clockOffsetMs += 31_000;
      const [refused] = await Promise.all([
        moderatorPage.waitForResponse((response) => response.url().endsWith('/settings')),
        moderatorPage.getByRole('button', { name: 'Save changes' }).click(),
      ]);
      expect(refused.status()).toBe(403);
      await moderatorPage.getByRole('heading', { name: 'You cannot see this page' }).waitFor();
    } finally {
      h.discord.oauth.join(moderator, h.discord.guildId, { permissions: MODERATOR_PERMISSIONS });
      clockOffsetMs += 31_000;
    }
    expect((await h.app.quota.overview(h.discord.guildId)).settings).toEqual(before);
  });

  it('shows the three charts as PNG pictures served by the bot itself', async () => {
    const now = Date.now();
    await seedJobs(h.app.store, [
      { userId: member, createdAt: now - 3 * 3_600_000, guildId: h.discord.guildId, channelId: h.discord.channelId, resolution: '1080p', costCents: 75 },
      { userId: moderator, createdAt: now - 2 * 3_600_000, guildId: h.discord.guildId, channelId: h.discord.channelId, resolution: '480p', costCents: 25 },
    ]);
    const page = await logIn(moderator);
    const requested: string[] = [];
    const pictures: Array<{ url: string; type: string | null; status: number }> = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('response', (response) => {
      if (response.request().resourceType() === 'image') pictures.push({ url: response.url(), type: response.headers()['content-type'] ?? null, status: response.status() });
    });
    await page.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}`);
    await page.waitForFunction(() => [...document.images].every((image) => image.complete));
    const sizes = await page.locator('img').evaluateAll((images: DomElement[]) => images.map((image) => [image.naturalWidth, image.naturalHeight]));
    expect(sizes).toEqual([
      [800, 400],
      [800, 400],
      [600, 360],
    ]);
    // They load side by side and answer in any order.
    expect(pictures.map((picture) => [new URL(picture.url).pathname, picture.type, picture.status]).sort()).toEqual(
      ['spend-per-day', 'spend-per-member', 'spend-per-resolution'].map((chart) => [`/dashboard/servers/${h.discord.guildId}/charts/${chart}.png`, 'image/png', 200]),
    );
    expect(await page.getByRole('img', { name: /^Top spenders this (week|month): Mia \$0\.75, Morgan \$0\.25\.$/ }).count()).toBe(1);
    // Page, style sheet and pictures: every request went to the bot's own server.
    expect(requested.every((url) => url.startsWith(dashboard.url))).toBe(true);
    expect(requested.some((url) => url.includes('/dashboard/assets/dashboard.css'))).toBe(true);
  });

  it('pages the job history, newest first, and filters it by state and by member', async () => {
    const start = Date.UTC(2026, 0, 5, 8);
    await seedJobs(
      h.app.store,
      Array.from({ length: 30 }, (_, index) => ({
        userId: index % 5 === 0 ? member : moderator,
        createdAt: start + index * 60_000,
        guildId: h.discord.guildId,
        channelId: h.discord.channelId,
        state: index === 7 ? ('failed' as const) : ('delivered' as const),
        prompt: `history job ${String(index).padStart(2, '0')}`,
      })),
    );
    const total = (await h.app.store.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('guild_id', '=', h.discord.guildId).executeTakeFirst())?.n;
    const page = await logIn(moderator);
    await page.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}`);
    await page.getByRole('link', { name: 'Job history' }).click();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(25);
    expect(await page.locator('caption').textContent()).toBe(`${Number(total)} jobs, newest first`);
    expect(await page.locator('.pager .muted').textContent()).toBe(`Page 1 of 2 · ${Number(total)} jobs`);

    await page.getByRole('link', { name: 'Older →' }).click();
    expect(await rows.count()).toBe(Number(total) - 25);
    expect(await rows.last().locator('td[data-label="Prompt"]').textContent()).toBe('history job 00');
    const link = await rows.last().getByRole('link', { name: 'Open in Discord' }).getAttribute('href');
    expect(link).toMatch(new RegExp(`^https://discord\\.com/channels/${h.discord.guildId}/${h.discord.channelId}/\\d+$`));
    await page.getByRole('link', { name: '← Newer' }).click();
    expect(await rows.count()).toBe(25);

    await page.getByLabel('State').selectOption('failed');
    await page.getByRole('button', { name: 'Show jobs' }).click();
    expect(await rows.locator('td[data-label="Prompt"]').allTextContents()).toEqual([
      'history job 07fal could not make this video. You were not charged.',
    ]);
    await page.getByRole('link', { name: 'Clear' }).click();
    await rows.filter({ hasText: 'history job 25' }).getByRole('link', { name: 'Mia' }).click();
    const memberPrompts = await rows.locator('td[data-label="Prompt"]').allTextContents();
    expect(memberPrompts.filter((prompt) => prompt.startsWith('history job'))).toEqual(['history job 25', 'history job 20', 'history job 15', 'history job 10', 'history job 05', 'history job 00']);
    expect(await page.getByLabel('Member (Discord id)').inputValue()).toBe(member);
  });

  it('works with the keyboard alone: a skip link first, labelled fields, a visible focus ring', async () => {
    const page = await logIn(moderator);
    await page.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const active = document.activeElement;
      if (!active) return null;
      const style = getComputedStyle(active);
      return { text: active.textContent, outline: style.outlineStyle, width: style.outlineWidth, top: active.getBoundingClientRect().top };
    });
    expect(skip).toMatchObject({ text: 'Skip to content', outline: 'solid', width: '3px' });
    expect(skip?.top).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Every form control has a name a screen reader reads out.
    const unnamed = await page
      .locator('input:not([type="hidden"]), select')
      .evaluateAll((controls: DomElement[]) => controls.filter((control) => control.labels?.length === 0).map((control) => control.name));
    expect(unnamed).toEqual([]);
    await page.getByLabel('Videos at once on the server').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('status').textContent()).toBe('Saved: Videos at once on the server: default → 3.');
  });

  it('fits a phone’s screen: no sideways scrolling, tables as cards', async () => {
    const page = await logIn(moderator, PHONE);
    for (const path of ['', '/jobs', '/audit', '/usage']) {
      await page.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
    }
    await page.goto(`${dashboard.url}/dashboard/servers/${h.discord.guildId}/jobs`);
    const cell = page.locator('tbody tr').first().locator('td[data-label="Who"]');
    expect(await cell.evaluate((element: DomElement) => getComputedStyle(element).display)).toBe('grid');
    expect(await cell.evaluate((element: DomElement) => getComputedStyle(element, '::before').content)).toBe('"Who"');
  });
});
