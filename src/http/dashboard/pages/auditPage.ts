import { formatSetting, settingName } from '../../../discord/quotaFormat.js';
import type { AuditEntry } from '../../../quota/quotaTypes.js';
import type { ServerAccess } from '../access.js';
import { plainDiscordText, type DiscordNames } from '../discordText.js';
import { html, type Html } from '../html.js';
import { paths } from '../paths.js';
import { layout, type Viewer } from './layout.js';
import { cell, pager, timeOf } from './pieces.js';

export interface AuditPageInput {
  viewer: Viewer;
  access: ServerAccess;
  entries: readonly AuditEntry[];
  total: number;
  page: number;
  pages: number;
  names: DiscordNames;
}

/** Who changed which quota setting, from what to what, when and where (/quota or the dashboard). */
export function auditPage(input: AuditPageInput): string {
  const { access } = input;
  return layout({
    title: 'Audit log',
    viewer: input.viewer,
    server: { guildId: access.guildId, guildName: access.guildName, standing: access.standing, current: 'audit' },
    body: html`${
      input.entries.length === 0
        ? html`<p class="card">No quota changes yet: this server uses the operator’s defaults.</p>`
        : html`<div class="table-wrap">
<table class="stack">
  <caption>Every quota change, newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Setting</th><th scope="col">Change</th><th scope="col">Where</th></tr></thead>
  <tbody>${input.entries.map((entry) => entryRow(entry, input.names))}</tbody>
</table>
</div>`
    }
${pager({ page: input.page, pages: input.pages, total: input.total, noun: 'change', href: (page) => paths.audit(access.guildId, page) })}`,
  });
}

function entryRow(entry: AuditEntry, names: DiscordNames): Html {
  const who = names.user(entry.actorId) ?? `member ${entry.actorId}`;
  const isReset = entry.setting === 'memberReset';
  const subject = String(entry.newValue);
  const change = isReset
    ? `gave ${names.user(subject) ?? `member ${subject}`} back today’s clips and cooldown`
    : `${plainDiscordText(formatSetting(entry.setting, entry.oldValue), names)} → ${plainDiscordText(formatSetting(entry.setting, entry.newValue), names)}`;
  return html`<tr>
  ${cell('When', timeOf(entry.at))}
  ${cell('Who', html`<bdi>${who}</bdi>`)}
  ${cell('Setting', isReset ? 'member reset' : settingName(entry.setting))}
  ${cell('Change', html`<bdi>${change}</bdi>`)}
  ${cell('Where', entry.via === 'dashboard' ? 'dashboard' : '/quota')}
</tr>`;
}
