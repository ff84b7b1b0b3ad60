import { formatUsd } from '../../../quota/money.js';
import type { QuotaOverview } from '../../../quota/quotaTypes.js';
import type { ServerAccess } from '../access.js';
import { html, type Html } from '../html.js';
import { paths, type ChartName } from '../paths.js';
import { DEFAULT_PREFIX, ORIGINAL_PREFIX, type FieldGroup, type SettingField } from '../settingsForm.js';
import { layout, type Viewer } from './layout.js';
import { timeOf } from './pieces.js';

/** What each chart shows, in words: its alternative text (the same figures the picture draws). */
export type ChartDescriptions = Readonly<Record<ChartName, string>>;

export interface OverviewPageInput {
  viewer: Viewer;
  access: ServerAccess;
  overview: QuotaOverview;
  form: FieldGroup[];
  charts: ChartDescriptions;
  flash: string | null;
  /** Set when a submitted form is shown again to be corrected. */
  formErrors?: boolean;
}

/** Sizes as src/media/charts draws them, so the page keeps its place while they load. */
const CHARTS: ReadonlyArray<{ chart: ChartName; caption: string; width: number; height: number }> = [
  { chart: 'spend-per-day', caption: 'Spend per day (UTC), the running total and the budget', width: 800, height: 400 },
  { chart: 'spend-per-member', caption: 'Biggest spenders this period', width: 800, height: 400 },
  { chart: 'spend-per-resolution', caption: 'Spend per resolution this period', width: 600, height: 360 },
];

export function overviewPage(input: OverviewPageInput): string {
  const { access, overview } = input;
  return layout({
    title: 'Budget and rules',
    viewer: input.viewer,
    server: { guildId: access.guildId, guildName: access.guildName, standing: access.standing, current: 'overview' },
    flash: input.flash,
    body: html`${input.formErrors && errorSummary(input.form)}
${spendingCard(overview)}
<section aria-labelledby="charts-heading">
  <h2 id="charts-heading">Where the money went ${overview.period.label}</h2>
  <div class="charts">${CHARTS.map(
    ({ chart, caption, width, height }) => html`<figure class="card">
    <img src="${paths.chart(access.guildId, chart)}" alt="${input.charts[chart]}" width="${width}" height="${height}" decoding="async">
    <figcaption>${caption}</figcaption>
  </figure>`,
  )}</div>
</section>
${settingsFormView(access.guildId, input.form, input.viewer.csrfToken)}`,
  });
}

function spendingCard(overview: QuotaOverview): Html {
  const { rules, period } = overview;
  const percent = rules.budgetCents > 0 ? Math.min(100, Math.round((overview.spentCents * 100) / rules.budgetCents)) : 100;
  return html`<section class="card" aria-labelledby="spending-heading">
  <h2 id="spending-heading">Spending ${period.label}</h2>
  ${
    rules.budgetCents === 0
      ? html`<p class="stat">Budget is $0</p><p>/animate spends nothing on this server.</p>`
      : html`<p class="stat">${formatUsd(overview.spentCents)} of ${formatUsd(rules.budgetCents)} used</p>
  <meter class="budget" min="0" max="${rules.budgetCents}" value="${Math.min(overview.spentCents, rules.budgetCents)}" low="${Math.floor(rules.budgetCents * 0.8)}" high="${rules.budgetCents}" optimum="0" aria-label="Budget used">${percent} %</meter>
  <p><strong>${formatUsd(overview.leftCents)} left</strong> (≈ ${overview.clipsLeft} ${overview.clipsLeft === 1 ? 'clip' : 'clips'} at the default settings, ${formatUsd(overview.defaultClipCents)} each) · ${percent} % used</p>`
  }
  <dl class="facts">
    <dt>Period</dt><dd>per ${rules.budgetPeriod} (UTC), from ${timeOf(period.startMs)}</dd>
    <dt>Resets</dt><dd>${timeOf(period.endMs)}</dd>
    <dt>Being made now</dt><dd>${overview.openJobs}</dd>
  </dl>
</section>`;
}

/** First on the page, as the form comes back: what to correct, each a link to its field. */
function errorSummary(groups: readonly FieldGroup[]): Html {
  const invalid = groups.flatMap((group) => group.fields.filter((field) => field.error !== undefined));
  if (invalid.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" id="errors">
  <h2 id="error-summary-title">Nothing was saved: ${invalid.length === 1 ? 'one value needs' : `${invalid.length} values need`} correcting</h2>
  <ul>${invalid.map((field) => html`<li><a href="#${fieldId(field)}">${field.label}</a>: ${field.error}</li>`)}</ul>
</div>`;
}

function settingsFormView(guildId: string, groups: readonly FieldGroup[], csrfToken: string): Html {
  return html`<section aria-labelledby="settings-heading">
  <h2 id="settings-heading">Rules</h2>
  <p class="muted small">Only what you change is saved: a value you change is set for this server; ticking “Use the operator’s default”
     (on a value you left alone) returns it to the bot operator’s default. Every change is written to the audit log and announced in the mod-log.</p>
  <form class="settings" method="post" action="${paths.settings(guildId)}" novalidate>
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <div class="sections">${groups.map(
      (group) => html`<fieldset id="section-${group.id}">
      <legend>${group.title}</legend>
      ${group.note && html`<p class="hint">${group.note}</p>`}
      ${group.fields.map(fieldView)}
    </fieldset>`,
    )}</div>
    <div class="actions"><button type="submit">Save changes</button><a href="${paths.server(guildId)}">Discard changes</a></div>
  </form>
</section>`;
}

function fieldId(field: SettingField): string {
  return `field-${field.setting}`;
}

function fieldView(field: SettingField): Html {
  const id = fieldId(field);
  const described = [`${id}-hint`, field.error === undefined ? '' : `${id}-error`].filter(Boolean).join(' ');
  const invalid = field.error === undefined ? '' : html` aria-invalid="true"`;
  const error = field.error !== undefined && html`<p class="field-error" id="${id}-error">${field.error}</p>`;
  const original = html`<input type="hidden" name="${ORIGINAL_PREFIX}${field.setting}" value="${field.original}">`;
  const hint = html`<span class="hint" id="${id}-hint">${field.hint}</span>`;
  const defaultToggle =
    field.defaultLabel !== null &&
    html`<label class="default-toggle"><input type="checkbox" name="${DEFAULT_PREFIX}${field.setting}"${field.usesDefault ? html` checked` : ''}> Use the operator’s default (${field.defaultLabel})</label>`;

  if (field.kind === 'channelList' || field.kind === 'roleList') {
    const chosen = new Set(field.value as readonly string[]);
    return html`<fieldset class="field" id="${id}" aria-describedby="${described}">
  <legend class="label">${field.label}</legend>
  ${hint}
  ${error}
  ${
    field.options.length === 0
      ? html`<p class="muted">The bot sees none on this server.</p>`
      : html`<div class="checks">${field.options.map(
          (option) =>
            html`<label><input type="checkbox" name="${field.setting}" value="${option.value}"${chosen.has(option.value) ? html` checked` : ''}> <bdi>${option.label}</bdi></label>`,
        )}</div>`
  }
  ${original}
</fieldset>`;
  }

  const value = String(field.value);
  const control =
    field.kind === 'choice' || field.kind === 'channel'
      ? html`<select id="${id}" name="${field.setting}" aria-describedby="${described}"${invalid}>${field.options.map(
          (option) => html`<option value="${option.value}"${option.value === value ? html` selected` : ''}>${option.label}</option>`,
        )}</select>`
      : field.kind === 'money'
        ? html`<input id="${id}" name="${field.setting}" type="text" inputmode="decimal" autocomplete="off" value="${value}" aria-describedby="${described}"${invalid}>`
        : html`<input id="${id}" name="${field.setting}" type="number" inputmode="numeric" step="1"${field.min === undefined ? '' : html` min="${field.min}"`}${field.max === undefined ? '' : html` max="${field.max}"`} value="${value}" aria-describedby="${described}"${invalid}>`;
  return html`<div class="field">
  <label for="${id}">${field.label}${field.kind === 'money' ? ' (US dollars)' : ''}</label>
  ${hint}
  ${control}
  ${error}
  ${original}
  ${defaultToggle}
</div>`;
}
