import type { JobState } from '../../../jobs/states.js';
import { formatUtc, isoTime } from '../discordText.js';
import { html, type Html, type HtmlValue } from '../html.js';

/** Small pieces the pages share. */

export function timeOf(ms: number): Html {
  return html`<time datetime="${isoTime(ms)}">${formatUtc(ms)}</time>`;
}

/** '42 s', '1 min 42 s', '2 h 5 min'. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const STATE_LABELS: Partial<Record<JobState, string>> = {
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function stateBadge(state: JobState): Html {
  const label = STATE_LABELS[state] ?? `In progress (${state})`;
  return html`<span class="state ${state}">${label}</span>`;
}

/** Up to two letters standing in for a server's icon (icons live on Discord's CDN, which the dashboard never loads). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/**
 * A table cell that can become a labelled row of a card on a phone (CSS
 * `table.stack`): its content sits in one box, so the label and the content
 * are always the two columns.
 */
export function cell(label: string, content: HtmlValue, className?: string): Html {
  return html`<td data-label="${label}"${className ? html` class="${className}"` : ''}><div>${content}</div></td>`;
}

export function pager(options: { page: number; pages: number; total: number; noun: string; href: (page: number) => string }): Html {
  const { page, pages, total, noun, href } = options;
  if (total === 0) return html``;
  return html`<nav class="pager" aria-label="Pages">
  <span>${page > 1 ? html`<a class="button secondary" href="${href(page - 1)}" rel="prev">← Newer</a>` : ''}</span>
  <span class="muted">Page ${page} of ${pages} · ${total} ${total === 1 ? noun : `${noun}s`}</span>
  <span>${page < pages ? html`<a class="button secondary" href="${href(page + 1)}" rel="next">Older →</a>` : ''}</span>
</nav>`;
}
