import { describe, expect, it } from 'vitest';
import { formatUtc, plainDiscordText } from '../../../src/http/dashboard/discordText.js';
import { escapeHtml, html, trusted } from '../../../src/http/dashboard/html.js';

describe('html`…`', () => {
  it('escapes every value it is given, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'quotes' \`tick\``;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;</p>',
    );
  });

  it('nests templates and lists without escaping them twice, and leaves out null, undefined and booleans', () => {
    const items = ['a<b', 'c&d'];
    expect(html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>${null}${undefined}${false}${true}${0}`.text).toBe(
      '<ul><li>a&lt;b</li><li>c&amp;d</li></ul>0',
    );
  });

  it('trusts only markup the code marks as such', () => {
    expect(html`${trusted('<br>')}${'<br>'}`.text).toBe('<br>&lt;br&gt;');
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('plainDiscordText', () => {
  const names = {
    channel: (id: string) => (id === '1' ? 'general' : undefined),
    role: (id: string) => (id === '2' ? 'Artists' : undefined),
    user: (id: string) => (id === '3' ? 'Bob' : undefined),
  };

  it('turns Discord markup into words a web page can show', () => {
    expect(plainDiscordText('**Budget**: <t:1796083200:R> in <#1>, <@&2>, <@3>, <@!3>, <#9> and `code`', names)).toBe(
      'Budget: 2026-12-01 00:00 UTC in #general, @Artists, @Bob, @Bob, #9 and code',
    );
  });

  it('leaves everything else as it is (the page escapes it)', () => {
    expect(plainDiscordText('<b>not markup</b> 2 * 3 = 6')).toBe('<b>not markup</b> 2 * 3 = 6');
    expect(formatUtc(Date.parse('2026-11-25T14:03:59Z'))).toBe('2026-11-25 14:03 UTC');
  });
});
