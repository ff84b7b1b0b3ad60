import type { JobSummary } from '../../../jobs/jobHistory.js';
import { formatUsd } from '../../../quota/money.js';
import type { MemberUsage } from '../../../quota/quotaTypes.js';
import type { ServerAccess } from '../access.js';
import { plainDiscordText, type DiscordNames } from '../discordText.js';
import { html } from '../html.js';
import { discordMessageUrl } from '../paths.js';
import { layout, type Viewer } from './layout.js';
import { cell, stateBadge, timeOf } from './pieces.js';

export interface UsagePageInput {
  viewer: Viewer;
  access: ServerAccess;
  usage: MemberUsage;
  /** The member's latest jobs on this server. */
  recentJobs: readonly JobSummary[];
  /** Whose usage: the viewer's own, or (for moderators) a member's name. */
  self: boolean;
  memberName: string;
  /** One clip at the default settings, for "≈ N clips". */
  clipCents: number;
  names: DiscordNames;
}

/** What /usage says, as a page: a member's spending, today's clips, what is left, and their latest jobs. */
export function usagePage(input: UsagePageInput): string {
  const { access, usage } = input;
  const { rules, period } = usage;
  const clipsToday = usage.exempt
    ? `${usage.clipsToday} · no member limits (exempt role)`
    : usage.clipsLeftToday === null
      ? `${usage.clipsToday} · no daily limit`
      : `${usage.clipsToday} of ${rules.memberClipsPerDay} · ${usage.clipsLeftToday} left`;
  const clipsLeft = input.clipCents > 0 ? Math.floor(usage.guildLeftCents / input.clipCents) : 0;
  return layout({
    title: input.self ? 'My usage' : `Usage of ${input.memberName}`,
    viewer: input.viewer,
    server: { guildId: access.guildId, guildName: access.guildName, standing: access.standing, current: 'usage' },
    body: html`<div class="grid">
<section class="card" aria-labelledby="spent-heading">
  <h2 id="spent-heading">${input.self ? 'You spent' : html`<bdi>${input.memberName}</bdi> spent`} ${period.label}</h2>
  <p class="stat">${formatUsd(usage.spentCents)}</p>
  ${usage.resetAt !== null && usage.resetAt >= period.startMs && html`<p class="muted small">Counted since a moderator’s reset at ${timeOf(usage.resetAt)}.</p>`}
  <dl class="facts">
    <dt>Clips today (UTC)</dt><dd>${clipsToday}</dd>
    <dt>Next video</dt><dd>${usage.nextClipAt === null ? 'now' : html`${timeOf(usage.nextClipAt)} (cooldown)`}</dd>
    <dt>Being made</dt><dd>${usage.exempt || rules.memberConcurrentJobs === 0 ? String(usage.openJobs) : `${usage.openJobs} of ${rules.memberConcurrentJobs}`}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="server-heading">
  <h2 id="server-heading">The server’s budget</h2>
  ${
    rules.budgetCents === 0
      ? html`<p>The budget is $0: nothing can be made here.</p>`
      : html`<p class="stat">${formatUsd(usage.guildLeftCents)} left</p>
  <p>of ${formatUsd(rules.budgetCents)} ${period.label} (≈ ${clipsLeft} ${clipsLeft === 1 ? 'clip' : 'clips'} at the default settings) · resets ${timeOf(period.endMs)}</p>`
  }
</section>
</div>
<section aria-labelledby="recent-heading">
  <h2 id="recent-heading">Latest videos</h2>
  ${
    input.recentJobs.length === 0
      ? html`<p class="card">None yet on this server.</p>`
      : html`<div class="table-wrap"><table class="stack">
  <thead><tr><th scope="col">When</th><th scope="col">Prompt</th><th scope="col">State</th><th scope="col">Cost</th><th scope="col">Message</th></tr></thead>
  <tbody>${input.recentJobs.map(
    (job) => html`<tr>
    ${cell('When', timeOf(job.createdAt))}
    ${cell('Prompt', html`<bdi>${job.prompt}</bdi>${job.endNote && html`<br><span class="muted small">${plainDiscordText(job.endNote, input.names)}</span>`}`, 'prompt')}
    ${cell('State', stateBadge(job.state))}
    ${cell('Cost', job.charged === false ? 'not charged' : formatUsd(job.costCents))}
    ${cell('Message', html`<a href="${discordMessageUrl(job.guildId, job.channelId, job.replyMessageId)}">Open in Discord</a>`)}
  </tr>`,
  )}</tbody></table></div>`
  }
</section>`,
  });
}
