import { escapeMarkdown } from 'discord.js';
import { stripInvisible } from '../util/text.js';
import { formatUsd } from '../quota/money.js';
import type { Reservation } from '../quota/quotaTypes.js';
import type { Job } from '../jobs/job.js';
import type { Delivery, ProgressView } from '../jobs/types.js';
import { deliveryNotes, pictureNote } from './mediaNotes.js';

/**
 * Everything the member reads, rendered from job rows. Prompts are member
 * text: control and zero-width characters are dropped, Markdown is escaped
 * and mentions are neutralised, so a prompt can neither ping nor break the
 * layout (allowed_mentions is the second lock on the door).
 */

/**
 * Member text is shown right after "> " or "-# " at the start of a line, where
 * Discord still reads a heading, list, subtext or quote marker.
 */
const LEADING_BLOCK_MARKER = /^(?:#{1,3}|-#|[-+]|>{1,3}) /;
const LEADING_LIST_NUMBER = /^(\d+)\. /;

export function cleanMemberText(text: string, maxLength: number): string {
  const flat = stripInvisible(text).replace(/\s+/g, ' ').trim();
  const escaped = escapeMarkdown(flat)
    // A zero-width space after every "@" ends @everyone, @here, <@id> and <@&id> as mentions.
    .replace(/@/g, '@\u200B')
    // …and after "://", and "[" escaped, so a prompt puts no link, masked link or
    // link preview under the bot's name.
    .replace(/:\/\//g, ':\u200B//')
    .replace(/\[/g, '\\[');
  const safe = LEADING_BLOCK_MARKER.test(escaped) ? `\\${escaped}` : escaped.replace(LEADING_LIST_NUMBER, '$1\\. ');
  if (safe.length <= maxLength) return safe;
  let cut = maxLength - 1;
  // Never split a surrogate pair: half an emoji is not valid text.
  if (/[\uD800-\uDBFF]/.test(safe.charAt(cut - 1))) cut -= 1;
  return `${safe.slice(0, cut)}…`;
}

export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

export function formatEta(ms: number): string {
  if (ms < 60_000) return 'less than a minute left';
  const minutes = Math.round(ms / 60_000);
  return `about ${minutes} min left`;
}

function header(job: Job): string {
  return `**/animate** · ${job.resolution} · ${job.durationSeconds} s\n> ${cleanMemberText(job.prompt, 300)}${pictureNote(job)}`;
}

export function renderProgress(job: Job, view: ProgressView): string {
  const elapsed = `${formatDuration(view.elapsedMs)} elapsed`;
  const eta = view.etaMs === null ? '' : ` · ${formatEta(view.etaMs)}`;
  let status: string;
  switch (view.phase) {
    case 'preparing':
      status = `🖼️ Checking your picture…${view.reservation ? `\n${renderCost(view.reservation)}` : ''}`;
      break;
    case 'queued':
      status =
        view.queuePosition !== null && view.queuePosition > 0
          ? `⏳ Waiting in line — position ${view.queuePosition} · ${elapsed}${eta}`
          : `⏳ Next in line · ${elapsed}${eta}`;
      break;
    case 'running': {
      const log = view.lastLog ? `\n-# ${cleanMemberText(view.lastLog, 120)}` : '';
      status = `🎬 Making your video · ${elapsed}${eta}${log}`;
      break;
    }
    case 'delivering':
      status = `📦 Almost there — fetching your video · ${elapsed}`;
      break;
  }
  return `${header(job)}\n${status}`;
}

/** "uses $0.75 — $11.65 left this month" */
export function renderCost(reservation: Reservation): string {
  const left =
    reservation.remainingCents === null
      ? ''
      : ` — ${formatUsd(reservation.remainingCents)} left${reservation.periodLabel ? ` ${reservation.periodLabel}` : ''}`;
  return `-# uses ${formatUsd(reservation.costCents)}${left}`;
}

export function renderDelivered(job: Job, delivery: Delivery): string {
  const lines = [`${header(job)}`, `✅ Done in ${formatDuration((job.updatedAt ?? job.createdAt) - job.createdAt)}.`];
  const actual = job.actualPrompt?.trim();
  if (actual && actual !== job.prompt.trim()) {
    lines.push(`**Prompt used:** ${cleanMemberText(actual, 900)}`);
  }
  const seed = job.resultSeed ?? job.seed;
  lines.push(`Seed ${seed ?? 'random'} · ${job.resolution} · ${job.durationSeconds} s`);
  if (delivery.kind === 'link') {
    lines.push('The video is too large to upload here, so here is the link.');
  }
  lines.push(...deliveryNotes(job, delivery));
  return lines.join('\n').slice(0, 2000);
}

export function renderFailed(job: Job, memberMessage: string): string {
  return `${header(job)}\n❌ ${memberMessage}`;
}

export function renderCancelled(job: Job, cancelledBy: string): string {
  const who = cancelledBy === job.userId ? '' : ` by <@${cancelledBy}>`;
  return `${header(job)}\n🚫 Cancelled${who}. You were not charged.`;
}
