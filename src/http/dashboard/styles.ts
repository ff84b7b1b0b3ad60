import { createHash } from 'node:crypto';

/**
 * The dashboard's one style sheet, served by the bot itself (no CDN, no web
 * font, no build step). Mobile first: one column on a phone, two where there
 * is room; tables become stacked cards on narrow screens; every control is at
 * least 44 px tall and shows a strong focus ring.
 */
export const DASHBOARD_CSS = `
:root {
  --bg: #f6f8fa; --card: #ffffff; --text: #1f2328; --muted: #57606a; --line: #d0d7de;
  --accent: #4752c4; --accent-text: #ffffff; --danger: #b42318; --ok: #1a7f37; --warn: #9a6700;
  --focus: #0969da; --radius: 8px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
a { color: var(--accent); text-underline-offset: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip-link { position: absolute; left: 0.5rem; top: -4rem; z-index: 10; background: var(--card); padding: 0.75rem 1rem; border: 2px solid var(--focus); border-radius: var(--radius); }
.skip-link:focus { top: 0.5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.site-header { background: #1f2328; color: #ffffff; }
.site-header .inner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; }
.site-header a { color: #ffffff; }
.brand { font-weight: 700; font-size: 1.125rem; text-decoration: none; }
.who { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; font-size: 0.95rem; }
.who form { margin: 0; }
.site-header .button { background: transparent; border-color: #ffffff; color: #ffffff; min-height: 2.5rem; }

main { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 0 0 0.75rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
p { margin: 0 0 0.75rem; }
.muted { color: var(--muted); }
.small { font-size: 0.9rem; }

.breadcrumbs { font-size: 0.95rem; margin: 0 0 0.25rem; }
.tabs ul { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; margin: 0 0 1.25rem; padding: 0; }
.tabs a { display: inline-flex; align-items: center; min-height: 2.75rem; padding: 0.5rem 0.9rem; border: 1px solid var(--line); border-radius: 999px; background: var(--card); text-decoration: none; }
.tabs a[aria-current="page"] { background: var(--accent); border-color: var(--accent); color: var(--accent-text); font-weight: 600; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin: 0 0 1rem; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
.stat { font-size: 1.5rem; font-weight: 700; margin: 0; }
meter.budget { display: block; width: 100%; max-width: 36rem; height: 1.25rem; margin: 0.5rem 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }

.charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); }
.charts figure { margin: 0; }
.charts img { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: var(--radius); background: #ffffff; }
.charts figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.25rem; }

.server-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr)); }
.server-list li { display: flex; gap: 0.75rem; align-items: center; margin: 0; }
.initials { flex: none; display: grid; place-items: center; width: 3rem; height: 3rem; border-radius: 50%; background: var(--accent); color: var(--accent-text); font-weight: 700; }
.badge { display: inline-block; font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }

.button, button { display: inline-flex; align-items: center; justify-content: center; min-height: 2.75rem; padding: 0.5rem 1.1rem; border: 2px solid var(--accent); border-radius: var(--radius); background: var(--accent); color: var(--accent-text); font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
.button.secondary { background: var(--card); color: var(--accent); }

main > section { margin-bottom: 1.5rem; }
form.settings .sections { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); align-items: start; }
form.settings fieldset { border: 1px solid var(--line); border-radius: var(--radius); background: var(--card); margin: 0 0 1rem; padding: 0.75rem 1rem 1rem; min-width: 0; }
form.settings legend { font-weight: 700; font-size: 1.1rem; padding: 0 0.25rem; }
.field { margin: 0.75rem 0 0; }
.field > label, .field > .label { display: block; font-weight: 600; }
.hint { display: block; color: var(--muted); font-size: 0.9rem; }
input[type="text"], input[type="number"], input[type="date"], select { display: block; width: 100%; max-width: 24rem; min-height: 2.75rem; padding: 0.4rem 0.6rem; border: 1px solid #8c959f; border-radius: 6px; background: #ffffff; color: var(--text); font: inherit; }
input[aria-invalid="true"], select[aria-invalid="true"] { border: 2px solid var(--danger); }
.field-error { color: var(--danger); font-weight: 600; margin: 0.25rem 0 0; }
.field > label.default-toggle { display: flex; align-items: center; gap: 0.5rem; min-height: 2.75rem; margin-top: 0.25rem; font-weight: 400; }
form.settings fieldset.field { border: 0; padding: 0; margin: 1rem 0 0; min-width: 0; background: none; }
form.settings fieldset.field > legend { padding: 0; font-weight: 600; font-size: 1rem; }
input[type="checkbox"] { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; }
.checks { display: grid; gap: 0.25rem 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr)); max-height: 16rem; overflow: auto; padding: 0.25rem; border: 1px solid var(--line); border-radius: 6px; margin: 0.35rem 0 0; }
.checks label { display: flex; align-items: center; gap: 0.5rem; min-height: 2.5rem; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }

.flash { border-left: 6px solid var(--ok); background: #dafbe1; padding: 0.75rem 1rem; border-radius: var(--radius); margin: 0 0 1rem; }
.error-summary { border: 2px solid var(--danger); background: #ffebe9; padding: 0.75rem 1rem; border-radius: var(--radius); margin: 0 0 1rem; }
.error-summary ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.notice { border-left: 6px solid var(--warn); background: #fff8c5; padding: 0.75rem 1rem; border-radius: var(--radius); margin: 0 0 1rem; }

.filters { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); align-items: start; }
.filters .actions { align-self: end; }
.filters .field { margin: 0; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--line); }
th { font-size: 0.9rem; color: var(--muted); white-space: nowrap; }
td.prompt { max-width: 28rem; overflow-wrap: anywhere; }
.state { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.85rem; font-weight: 600; background: #eaeef2; }
.state.delivered { background: #dafbe1; color: #116329; }
.state.failed { background: #ffebe9; color: #a40e26; }
.state.cancelled { background: #fff8c5; color: #7d4e00; }
.pager { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; justify-content: space-between; margin: 1rem 0; }

@media (max-width: 40rem) {
  h1 { font-size: 1.35rem; }
  main { padding: 0.75rem; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td, table.stack caption { display: block; width: 100%; }
  table.stack { background: transparent; }
  table.stack tr { border: 1px solid var(--line); border-radius: var(--radius); margin: 0 0 0.75rem; padding: 0.25rem 0; background: var(--card); }
  table.stack td { border: 0; padding: 0.25rem 0.75rem; display: grid; grid-template-columns: 6.5rem 1fr; gap: 0.5rem; }
  table.stack td::before { content: attr(data-label); color: var(--muted); font-size: 0.85rem; }
  td.prompt { max-width: none; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.35rem; }
}
`;

/** Changes with the sheet, so browsers may keep it for a year. */
export const DASHBOARD_CSS_VERSION = createHash('sha256').update(DASHBOARD_CSS).digest('hex').slice(0, 12);
