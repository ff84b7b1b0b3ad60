import { html } from '../html.js';
import { paths } from '../paths.js';
import type { ServerAccess } from '../access.js';
import { layout, type Viewer } from './layout.js';
import { initialsOf } from './pieces.js';

/** The pages that are not about one server: logging in, the server list, and errors. */

export function loginPage(notice: string | null): string {
  return layout({
    title: 'Moderators’ dashboard',
    viewer: null,
    body: html`${notice && html`<p class="notice" role="status">${notice}</p>`}
<section class="card">
  <p>See and set your servers’ /animate budget and rules, where the money went, every job and every change.</p>
  <p>Log in with your Discord account. The dashboard asks Discord only for your name and the list of your servers
     (scopes <code>identify</code> and <code>guilds</code>); it cannot read your messages or act for you.</p>
  <p><a class="button" href="${paths.login()}">Log in with Discord</a></p>
</section>`,
  });
}

export function serversPage(viewer: Viewer, servers: readonly ServerAccess[], flash: string | null): string {
  const moderated = servers.filter((server) => server.standing === 'moderator');
  const others = servers.filter((server) => server.standing === 'member');
  const item = (server: ServerAccess) => html`<li class="card">
  <span class="initials" aria-hidden="true">${initialsOf(server.guildName)}</span>
  <span>
    <a href="${server.standing === 'moderator' ? paths.server(server.guildId) : paths.usage(server.guildId)}"><strong><bdi>${server.guildName}</bdi></strong></a><br>
    <span class="badge">${server.standing === 'moderator' ? 'Moderator' : 'Member: your usage'}</span>
  </span>
</li>`;
  return layout({
    title: 'Your servers',
    viewer,
    flash,
    body: html`${servers.length === 0 &&
      html`<p class="card">The bot is on none of your servers, or Discord did not list them. Servers appear here when the bot is a member.</p>`}
${moderated.length > 0 &&
  html`<section aria-labelledby="moderated">
  <h2 id="moderated">Servers you manage</h2>
  <p class="muted small">You have Manage Server there, or a quota admin role.</p>
  <ul class="server-list">${moderated.map(item)}</ul>
</section>`}
${others.length > 0 &&
  html`<section aria-labelledby="member-of">
  <h2 id="member-of">${moderated.length > 0 ? 'Your usage on other servers' : 'Your usage'}</h2>
  ${moderated.length === 0 && html`<p class="muted small">Moderators (Manage Server, or a quota admin role) also see budgets, rules and history here.</p>`}
  <ul class="server-list">${others.map(item)}</ul>
</section>`}`,
  });
}

export function errorPage(options: { status: number; title: string; message: string; viewer: Viewer | null; loginLink?: boolean }): string {
  return layout({
    title: options.title,
    viewer: options.viewer,
    body: html`<section class="card">
  <p>${options.message}</p>
  <p>${options.loginLink ? html`<a class="button" href="${paths.login()}">Log in with Discord</a>` : html`<a href="${paths.home()}">Back to your servers</a>`}</p>
  <p class="muted small">Status ${options.status}</p>
</section>`,
  });
}
