/**
 * HTML built with a tagged template that escapes every value it is given:
 * only markup written in this code (or built by `html` itself) is trusted.
 * Server names, member names, prompts and error texts come from members, so
 * escaping is the default and there is no way to forget it.
 *
 *   html`<p>${prompt}</p>`              → the prompt, escaped
 *   html`<ul>${items.map(item => html`<li>${item}</li>`)}</ul>` → nested, not escaped twice
 */

const TRUSTED = Symbol('trusted html');

export interface Html {
  readonly [TRUSTED]: true;
  readonly text: string;
}

/** Anything a template may interpolate: text is escaped, numbers written, null/undefined/false omitted. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** For element text and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ENTITIES[character] ?? '');
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && (value as Partial<Html>)[TRUSTED] === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  // `true` is written as text only by mistake; omitting it keeps `${condition && html`…`}` readable.
  if (value === true) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return trusted(text);
}

/** Markup this code wrote by other means (the style sheet's link, a fixed entity). Never for member text. */
export function trusted(text: string): Html {
  return { [TRUSTED]: true, text };
}
