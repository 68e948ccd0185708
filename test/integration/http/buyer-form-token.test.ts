// The Pay form's token: bound to one slug and one purpose, valid for a day, unforgeable without
// APP_SECRET.
import { describe, expect, it } from 'vitest';
import { formToken, verifyFormToken } from '../../../src/pages/form-token.js';
import { escapeHtml, html, raw } from '../../../src/pages/html.js';

const SECRET = 'form-token-secret-0123456789abcdef0123';
const NOW = Date.parse('2026-11-28T09:00:00Z');
const HOUR = 3_600_000;

describe('checkout form token', () => {
  const token = formToken(SECRET, 'checkout', 'slugA', NOW);

  it('verifies for its slug and purpose within a day', () => {
    expect(verifyFormToken(SECRET, 'checkout', 'slugA', token, NOW)).toBe(true);
    expect(verifyFormToken(SECRET, 'checkout', 'slugA', token, NOW + 23 * HOUR)).toBe(true);
  });

  it('fails for another slug, purpose or secret, once old, and when altered', () => {
    expect(verifyFormToken(SECRET, 'checkout', 'slugB', token, NOW)).toBe(false);
    expect(verifyFormToken(SECRET, 'sandbox', 'slugA', token, NOW)).toBe(false);
    expect(verifyFormToken(`${SECRET}x`, 'checkout', 'slugA', token, NOW)).toBe(false);
    expect(verifyFormToken(SECRET, 'checkout', 'slugA', token, NOW + 25 * HOUR)).toBe(false);
    // Issued "in the future" (a forged timestamp) is refused too.
    expect(verifyFormToken(SECRET, 'checkout', 'slugA', formToken(SECRET, 'checkout', 'slugA', NOW + HOUR), NOW)).toBe(false);
    const [issued, mac] = token.split('.');
    const altered = `${mac?.startsWith('A') ? 'B' : 'A'}${mac?.slice(1)}`;
    expect(verifyFormToken(SECRET, 'checkout', 'slugA', `${issued}.${altered}`, NOW)).toBe(false);
    for (const bad of [undefined, '', 'abc', '.', `${issued}.`, `zzzzzzzzzzzzz.${mac}`, ['array']]) {
      expect(verifyFormToken(SECRET, 'checkout', 'slugA', bad, NOW)).toBe(false);
    }
  });
});

describe('html escaping', () => {
  it('escapes every character that could leave text or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('escapes interpolated text but not markup it built itself', () => {
    const name = '<script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[raw('<i>ok</i>')]}${null}${undefined}${42}</p>`.html).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><i>ok</i>42</p>',
    );
  });
});
