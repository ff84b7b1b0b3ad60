import { describe, expect, it } from 'vitest';
import { cleanLabel, escapeXml, truncateLabel } from '../../../../src/media/charts/svgText.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`</text><script>alert("x")</script> & 'co'`)).toBe(
      '&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;',
    );
  });

  it('drops characters XML forbids and keeps astral ones whole', () => {
    expect(escapeXml('a\u0000b\u0008c\uFFFEd\uD800e🎬')).toBe('abcde🎬');
  });

  it('turns an existing entity into text rather than trusting it', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });
});

describe('cleanLabel', () => {
  it('removes bidi overrides and line breaks', () => {
    expect(cleanLabel('bob\u202Eevil\u2066x\u2069\nnext\r\nline')).toBe('bobevilx next line');
  });
});

describe('truncateLabel', () => {
  it('keeps short names as they are', () => {
    expect(truncateLabel('Alice', 18)).toBe('Alice');
  });

  it('cuts long names with an ellipsis, never inside an emoji', () => {
    expect(truncateLabel('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 3)).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦');
    expect(truncateLabel('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 3)).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦…');
    expect(truncateLabel('A very long display name', 10)).toBe('A very lo…');
  });
});
