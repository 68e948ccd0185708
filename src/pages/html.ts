// Server-rendered pages for buyers: one escaping helper and one page shell (mobile-first, inline
// CSS, no external assets, so a page opened from a chat app loads in one round trip).
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { isLanguage, LANGUAGES, type Language } from '../i18n/i18n.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Marks markup built from escaped parts, so page parts are not escaped twice. */
export interface Html {
  readonly html: string;
}

export function raw(markup: string): Html {
  return { html: markup };
}

/** Tagged template: interpolated strings and numbers are escaped, Html values inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: (string | number | Html | Html[] | null | undefined)[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (Array.isArray(value)) out += value.map((part) => part.html).join('');
    else if (typeof value === 'object' && value !== null) out += value.html;
    else if (value !== null && value !== undefined) out += escapeHtml(String(value));
    out += strings[index + 1] ?? '';
  });
  return { html: out };
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Hiragino Sans","Noto Sans JP","Noto Sans KR","Segoe UI",sans-serif;background:#f4f5f7;color:#1d1f23;line-height:1.5}
main{max-width:480px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow:hidden}
.card .body{padding:18px}
.product-image{display:block;width:100%;max-height:360px;object-fit:cover;background:#e9ebef}
h1{font-size:1.3rem;margin:0 0 6px;overflow-wrap:anywhere}
.price{font-size:1.6rem;font-weight:700;margin:4px 0 12px}
.tax-note{font-size:.85rem;font-weight:400;color:#555}
.description{white-space:pre-wrap;overflow-wrap:anywhere;color:#444;margin:0 0 16px}
.button{display:block;width:100%;padding:14px;border:0;border-radius:10px;font-size:1.1rem;font-weight:700;cursor:pointer;text-align:center;text-decoration:none}
/* LINE's green #06c755 under white text is 2.3:1; this darker green is 5.3:1 (WCAG AA needs 4.5:1). */
.primary{background:#067d3a;color:#fff}
.danger{background:#d93025;color:#fff}
.secondary{background:#e9ebef;color:#1d1f23}
.stack>*+*{margin-top:10px}
.test-badge{display:inline-block;background:#ffb300;color:#1d1f23;font-weight:800;font-size:.8rem;letter-spacing:.08em;padding:2px 8px;border-radius:6px;margin-bottom:8px}
.test-banner{background:#ffb300;color:#1d1f23;text-align:center;font-weight:800;padding:8px;letter-spacing:.06em}
.notice{font-size:.9rem;color:#555}
.status-icon{width:64px;height:64px;line-height:64px;border-radius:50%;margin:8px auto;font-size:2rem;font-weight:700;text-align:center;color:#fff;background:#067d3a}
.status-icon.waiting{background:#ffb300}
.center{text-align:center}
footer{font-size:.85rem;color:#5f6368;text-align:center;max-width:480px;margin:0 auto;padding:0 16px 16px}
dl.legal{margin:16px 0 0}
.legal-row{padding:10px 0;border-top:1px solid #e9ebef}
.legal dt{font-weight:700;font-size:.9rem;color:#444}
.legal dd{margin:2px 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.description a{color:#1a5fb4}
label{display:block;font-weight:700;margin:0 0 4px}
.field{margin:0 0 14px}
.hint{font-size:.85rem;color:#555;margin:0 0 6px}
.field-error{color:#b3261e;font-weight:700;margin:0 0 6px}
input[type=number],input[type=text],input[type=tel],input[type=email],select,textarea{font:inherit;font-size:1.1rem;padding:10px;border:1px solid #6b6f76;border-radius:8px;width:100%;background:#fff;color:#1d1f23}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid #b3261e}
.stepper{display:flex;gap:8px;align-items:stretch}
.stepper input{text-align:center;flex:1}
.step{min-width:48px;font-size:1.4rem;font-weight:700;border:1px solid #6b6f76;border-radius:8px;background:#e9ebef;color:#1d1f23;cursor:pointer}
.total{font-size:1.2rem;font-weight:700;margin:0 0 12px}
.error-summary{border:2px solid #b3261e;border-radius:10px;padding:10px 14px;margin:0 0 14px;color:#1d1f23}
.error-summary a{color:#b3261e;font-weight:700}
fieldset.group{border:1px solid #c4c7cc;border-radius:10px;padding:10px 12px;margin:0 0 14px}
legend{font-weight:700;padding:0 4px}
.choice{display:flex;align-items:center;gap:10px;font-weight:400;padding:10px 4px;min-height:44px}
.choice input{width:22px;height:22px;margin:0}
.choices{display:grid;grid-template-columns:1fr 1fr;gap:0 12px}
.code-row{display:flex;gap:8px;align-items:stretch}
.code-row input{flex:1}
.code-row .button{width:auto;padding:10px 16px;font-size:1rem}
.applied{color:#067d3a;font-weight:700;margin:0 0 6px}
dl.breakdown{margin:0 0 12px;display:grid;grid-template-columns:1fr auto;gap:2px 12px}
dl.breakdown[hidden]{display:none}
.breakdown dt{font-weight:400}
.breakdown dd{margin:0;text-align:right}
.breakdown .grand{font-size:1.2rem;font-weight:700}
.after-payment{border-left:4px solid #067d3a;background:#f4f5f7;padding:8px 12px;margin:0 0 16px;text-align:left}
.after-payment .description{margin:0}
footer a{color:#1a5fb4;display:inline-block;padding:10px 4px}
.shop{display:flex;align-items:center;gap:10px;margin:0 0 12px;font-weight:700;color:#1d1f23;overflow-wrap:anywhere}
.shop-logo{width:40px;height:40px;border-radius:8px;object-fit:cover;background:#e9ebef;flex:none}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
`;

export interface PageOptions {
  language: string;
  title: string;
  /** Extra tags for <head> (Open Graph, robots). */
  head?: Html;
  body: Html;
  /** A full-width banner above the content (e.g. the sandbox's TEST label). */
  banner?: Html;
  /** Below the content (the shop's legal notice link). */
  footer?: Html;
  /** An inline script the page's CSP allows by its nonce (the page must work without it). */
  script?: { nonce: string; source: string };
}

export function renderPage(options: PageOptions): string {
  return html`<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title}</title>
${options.head}
<style>${raw(STYLE)}</style>
</head>
<body>
${options.banner}
<main>
${options.body}
</main>
${options.footer}
${options.script ? html`<script nonce="${options.script.nonce}">${raw(options.script.source)}</script>` : null}
</body>
</html>`.html;
}

// No scripts run on our pages but one inline script a page names by a fresh nonce (the quantity
// stepper, which the page works without), and nothing may frame them (clickjacking a Pay button).
// Forms post only to our own origin; browsers also hold the redirect after a post to form-action,
// so a page whose form leads on to the payment provider names that origin too (formTargets).
function contentSecurityPolicy(formTargets: readonly string[], scriptNonce: string | undefined): string {
  const formAction = ["'self'", ...new Set(formTargets.map((target) => new URL(target).origin))].join(' ');
  const scripts = scriptNonce ? `; script-src 'nonce-${scriptNonce}'` : '';
  return `default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'${scripts}; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`;
}

/** A fresh nonce for one response's inline script. */
export function newScriptNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * `formTargets`: URLs (their origins count) a form on the page may post or be redirected to,
 * besides our own; `scriptNonce`: the nonce of the page's inline script, if it has one.
 */
export function sendPage(res: Response, status: number, page: string, formTargets: readonly string[] = [], scriptNonce?: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(formTargets, scriptNonce),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
    .send(page);
}

/** For pages not tied to a link (404s): the browser's preferred language among ours. */
export function preferredLanguage(req: Request): Language {
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return isLanguage(accepted) ? accepted : 'ja';
}
