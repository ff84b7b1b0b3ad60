import { escapeMarkdown } from 'discord.js';
import { stripInvisible } from '../util/text.js';
import { formatUsd } from '../quota/money.js';
import type { Reservation } from '../quota/quotaTypes.js';
import type { Job } from '../jobs/job.js';
import type { Messages } from '../i18n/en.js';
import { DEFAULT_LOCALE, localeOf, type Locale } from '../i18n/locale.js';
import { messagesFor, periodText, translate } from '../i18n/text.js';
import type { Estimate } from '../jobs/eta.js';
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

/** `<t:UNIX:R>`: Discord shows "in 2 minutes" in the reader's own language, and keeps counting down. */
export function relativeTimestamp(ms: number): string {
  return `<t:${Math.ceil(ms / 1000)}:R>`;
}

const BAR_CELLS = 10;

/** `▰▰▰▱▱▱▱▱▱▱ 30 %` */
export function progressBar(fraction: number): string {
  const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
  const filled = Math.floor(percent / (100 / BAR_CELLS));
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)} ${percent} %`;
}

/** The language a job's member reads. */
function messagesOf(job: Job): Messages {
  return messagesFor(localeOf(job.locale));
}

/** The bar and when the video should be ready, or that it is taking longer than usual. */
function estimateLine(estimate: Estimate | null, t: Messages): string {
  if (!estimate) return '';
  const when = estimate.doneAt === null ? t['progress.longerThanUsual'] : t['progress.ready']({ when: relativeTimestamp(estimate.doneAt) });
  return `\n${progressBar(estimate.fraction)} · ${when}`;
}

function header(job: Job, t: Messages): string {
  return `**/${t['command.animate.name']}** · ${job.resolution} · ${job.durationSeconds} s\n> ${cleanMemberText(job.prompt, 300)}${pictureNote(job, t)}`;
}

export function renderProgress(job: Job, view: ProgressView): string {
  const t = messagesOf(job);
  const elapsed = t['progress.elapsed']({ time: formatDuration(view.elapsedMs) });
  const estimate = estimateLine(view.estimate, t);
  let status: string;
  switch (view.phase) {
    case 'preparing':
      status = `${t['progress.checking']} · ${elapsed}${estimate}${view.reservation ? `\n${renderCost(view.reservation, localeOf(job.locale))}` : ''}`;
      break;
    case 'waitingForFal':
      status = `${t['progress.waitingForFal']} · ${elapsed}`;
      break;
    case 'queued':
      status =
        view.queuePosition !== null && view.queuePosition > 0
          ? `${t['progress.inLine']({ position: view.queuePosition })} · ${elapsed}${estimate}`
          : `${t['progress.nextInLine']} · ${elapsed}${estimate}`;
      break;
    case 'running': {
      const log = view.lastLog ? `\n-# ${cleanMemberText(view.lastLog, 120)}` : '';
      status = `${t['progress.making']} · ${elapsed}${estimate}${log}`;
      break;
    }
    case 'delivering':
      status = `${t['progress.fetching']} · ${elapsed}`;
      break;
  }
  return `${header(job, t)}\n${status}`;
}

/** "uses $0.75 — $11.65 left this month" */
export function renderCost(reservation: Reservation, locale: Locale = DEFAULT_LOCALE): string {
  const t = messagesFor(locale);
  const amount = reservation.remainingCents === null ? null : formatUsd(reservation.remainingCents);
  const left =
    amount === null
      ? ''
      : ` — ${reservation.periodLabel ? t['cost.leftIn']({ amount, period: translate(locale, periodText(reservation.periodLabel)) }) : t['cost.left']({ amount })}`;
  return `-# ${t['cost.uses']({ cost: formatUsd(reservation.costCents) })}${left}`;
}

export function renderDelivered(job: Job, delivery: Delivery): string {
  const t = messagesOf(job);
  const lines = [`${header(job, t)}`, t['result.doneIn']({ time: formatDuration((job.updatedAt ?? job.createdAt) - job.createdAt) })];
  const actual = job.actualPrompt?.trim();
  if (actual && actual !== job.prompt.trim()) {
    lines.push(t['result.promptUsed']({ prompt: cleanMemberText(actual, 900) }));
  }
  const seed = job.resultSeed ?? job.seed;
  lines.push(t['result.settings']({ seed: seed === null ? t['result.randomSeed'] : String(seed), resolution: job.resolution, seconds: job.durationSeconds }));
  if (delivery.kind === 'link') {
    lines.push(t['result.linkInstead']);
  }
  lines.push(...deliveryNotes(job, delivery, t));
  return lines.join('\n').slice(0, 2000);
}

export function renderFailed(job: Job, memberMessage: string): string {
  return `${header(job, messagesOf(job))}\n❌ ${memberMessage}`;
}

export function renderCancelled(job: Job, cancelledBy: string): string {
  const t = messagesOf(job);
  const line = cancelledBy === job.userId ? t['result.cancelled'] : t['result.cancelledBy']({ who: `<@${cancelledBy}>` });
  return `${header(job, t)}\n${line}`;
}

/** The title of the link's embed when the video goes as a link. */
export function renderOpenVideo(job: Job): string {
  return messagesOf(job)['result.openVideo'];
}

/** Why the last word came as a DM: "I could not reply in #channel, so here it is." */
export function renderDmReason(job: Job): string {
  return messagesOf(job)['result.dmBecause']({ channel: `<#${job.channelId}>` });
}

/** The Cancel button's label, in the member's language. */
export function cancelLabel(job: Job): string {
  return messagesOf(job)['button.cancel'];
}

/** A link to a message in Discord's client (`@me` for a DM). */
export function messageLink(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}

/** A repeat answered with an earlier video: where that video is, and that this one was free. */
export function renderRepeat(job: Job, earlier: Job): string {
  const t = messagesOf(job);
  const link =
    earlier.deliveredChannelId && earlier.deliveredMessageId
      ? messageLink(earlier.guildId, earlier.deliveredChannelId, earlier.deliveredMessageId)
      : (earlier.videoUrl ?? '');
  return `${header(job, t)}\n${t['result.repeat']({ link })}`.slice(0, 2000);
}
