import { html, type Html } from '../html.js';
import { paths } from '../paths.js';
import type { Standing } from '../access.js';

/** Who is looking, for the header: their name and the token that lets their browser log out. */
export interface Viewer {
  userName: string;
  csrfToken: string;
}

export type ServerTab = 'overview' | 'jobs' | 'audit' | 'usage';

export interface ServerNav {
  guildId: string;
  guildName: string;
  standing: Standing;
  current: ServerTab;
}

export interface PageOptions {
  title: string;
  viewer: Viewer | null;
  server?: ServerNav;
  /** A one-time message (after a save): read out by screen readers as it appears. */
  flash?: string | null;
  body: Html;
}

/** The page around every view: skip link, header with logout, server tabs, one <main>. */
export function layout(options: PageOptions): string {
  const { title, viewer, server, flash, body } = options;
  const fullTitle = server ? `${title} · ${server.guildName} · animate-bot` : `${title} · animate-bot`;
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${fullTitle}</title>
<link rel="stylesheet" href="${paths.css()}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="inner">
    <a class="brand" href="${paths.home()}">animate-bot dashboard</a>
    ${viewer && html`<div class="who">
      <span>Logged in as <strong><bdi>${viewer.userName}</bdi></strong></span>
      <form method="post" action="${paths.logout()}">
        <input type="hidden" name="_csrf" value="${viewer.csrfToken}">
        <button type="submit" class="button">Log out</button>
      </form>
    </div>`}
  </div>
</header>
<main id="main" tabindex="-1">
${server && serverHeading(server, title)}
${!server && html`<h1>${title}</h1>`}
${flash && html`<p class="flash" role="status">${flash}</p>`}
${body}
</main>
</body>
</html>`.text
  }\n`;
}

const TABS: ReadonlyArray<{ tab: ServerTab; label: string; moderatorsOnly: boolean }> = [
  { tab: 'overview', label: 'Budget and rules', moderatorsOnly: true },
  { tab: 'jobs', label: 'Job history', moderatorsOnly: true },
  { tab: 'audit', label: 'Audit log', moderatorsOnly: true },
  { tab: 'usage', label: 'My usage', moderatorsOnly: false },
];

function serverHeading(server: ServerNav, title: string): Html {
  const href = (tab: ServerTab) =>
    tab === 'overview' ? paths.server(server.guildId) : tab === 'jobs' ? paths.jobs(server.guildId) : tab === 'audit' ? paths.audit(server.guildId) : paths.usage(server.guildId);
  const tabs = TABS.filter((tab) => !tab.moderatorsOnly || server.standing === 'moderator');
  return html`<p class="breadcrumbs"><a href="${paths.home()}">Servers</a> › <bdi>${server.guildName}</bdi></p>
<h1>${title}</h1>
${tabs.length > 1 &&
  html`<nav class="tabs" aria-label="${server.guildName}">
  <ul>${tabs.map(
    ({ tab, label }) => html`<li><a href="${href(tab)}"${tab === server.current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul>
</nav>`}`;
}
