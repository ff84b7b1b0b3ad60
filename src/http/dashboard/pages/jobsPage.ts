import type { JobSummary } from '../../../jobs/jobHistory.js';
import { formatUsd } from '../../../quota/money.js';
import type { ServerAccess } from '../access.js';
import { plainDiscordText, type DiscordNames } from '../discordText.js';
import { html, type Html } from '../html.js';
import { discordMessageUrl, paths } from '../paths.js';
import { layout, type Viewer } from './layout.js';
import { cell, formatDuration, pager, stateBadge, timeOf } from './pieces.js';

/** The job history's filters as the form shows them (text, as typed). */
export interface JobFilterView {
  outcome: string;
  member: string;
  from: string;
  to: string;
}

export interface JobsPageInput {
  viewer: Viewer;
  access: ServerAccess;
  jobs: readonly JobSummary[];
  total: number;
  page: number;
  pages: number;
  filter: JobFilterView;
  /** Filter values that were not understood and were left out. */
  ignored: readonly string[];
  names: DiscordNames;
}

const OUTCOMES = [
  { value: '', label: 'Any' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'in_progress', label: 'In progress' },
];

export function jobsPage(input: JobsPageInput): string {
  const { access, filter } = input;
  const query = (page: number) => ({ ...filterQuery(filter), page: page > 1 ? String(page) : undefined });
  const memberName = filter.member ? input.names.user(filter.member) : undefined;
  return layout({
    title: 'Job history',
    viewer: input.viewer,
    server: { guildId: access.guildId, guildName: access.guildName, standing: access.standing, current: 'jobs' },
    body: html`<form class="card filters" method="get" action="${paths.jobs(access.guildId)}" aria-label="Filter jobs">
  <div class="field"><label for="outcome">State</label>
    <select id="outcome" name="outcome">${OUTCOMES.map(
      (option) => html`<option value="${option.value}"${option.value === filter.outcome ? html` selected` : ''}>${option.label}</option>`,
    )}</select></div>
  <div class="field"><label for="member">Member (Discord id)</label>
    <input id="member" name="member" type="text" inputmode="numeric" autocomplete="off" value="${filter.member}" aria-describedby="member-hint">
    <span class="hint" id="member-hint">${memberName ? html`Showing <bdi>${memberName}</bdi>` : 'Or pick a name in the table'}</span></div>
  <div class="field"><label for="from">From (UTC day)</label><input id="from" name="from" type="date" value="${filter.from}"></div>
  <div class="field"><label for="to">To (UTC day)</label><input id="to" name="to" type="date" value="${filter.to}"></div>
  <div class="actions"><button type="submit">Show jobs</button><a href="${paths.jobs(access.guildId)}">Clear</a></div>
</form>
${input.ignored.length > 0 && html`<p class="notice" role="status">Left out of the filter (not understood): ${input.ignored.join(', ')}.</p>`}
${
  input.jobs.length === 0
    ? html`<p class="card">No jobs match.</p>`
    : html`<div class="table-wrap">
<table class="stack">
  <caption>${input.total} ${input.total === 1 ? 'job' : 'jobs'}, newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Prompt</th><th scope="col">State</th><th scope="col">Cost</th><th scope="col">Time</th><th scope="col">Message</th></tr></thead>
  <tbody>${input.jobs.map((job) => jobRow(job, access.guildId, filter, input.names))}</tbody>
</table>
</div>`
}
${pager({ page: input.page, pages: input.pages, total: input.total, noun: 'job', href: (page) => paths.jobs(access.guildId, query(page)) })}`,
  });
}

function jobRow(job: JobSummary, guildId: string, filter: JobFilterView, names: DiscordNames): Html {
  const name = names.user(job.userId);
  const cost =
    job.charged === null ? `${formatUsd(job.costCents)} reserved` : job.charged ? formatUsd(job.costCents) : html`<s>${formatUsd(job.costCents)}</s> not charged`;
  return html`<tr>
  ${cell('When', timeOf(job.createdAt))}
  ${cell('Who', html`<a href="${paths.jobs(guildId, { ...filterQuery(filter), member: job.userId })}" title="Only this member’s jobs"><bdi>${name ?? `member ${job.userId}`}</bdi></a>`)}
  ${cell('Prompt', html`<bdi>${job.prompt}</bdi>${job.endNote && html`<br><span class="muted small">${plainDiscordText(job.endNote, names)}</span>`}`, 'prompt')}
  ${cell('State', stateBadge(job.state))}
  ${cell('Cost', html`${cost}<br><span class="muted small">${job.resolution} · ${job.durationSeconds} s</span>`)}
  ${cell('Time', job.finishedAt === null ? '—' : formatDuration(job.finishedAt - job.createdAt))}
  ${cell('Message', html`<a href="${discordMessageUrl(job.guildId, job.channelId, job.replyMessageId)}">${job.replyMessageId === null ? 'Open the channel' : 'Open in Discord'}</a>`)}
</tr>`;
}

function filterQuery(filter: JobFilterView): Record<string, string | undefined> {
  return { outcome: filter.outcome || undefined, member: filter.member || undefined, from: filter.from || undefined, to: filter.to || undefined };
}
