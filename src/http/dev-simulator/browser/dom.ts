/** Small DOM helpers shared by the simulator's modules. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the simulator page has no #${id}`);
  return node as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

/** Only http(s) URLs are ever opened or loaded; anything else (javascript:, data:) is refused. */
export function safeUrl(value: unknown): URL | null {
  try {
    const url = new URL(String(value));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export function safeColor(value: unknown): string | null {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(value) ? value : null;
}

// A URL in a message runs to the next space or bracket; a sentence's closing punctuation is not part of it.
const URL_IN_TEXT = /https?:\/\/[^\s<>"'「」（）()、。]+/g;
const TRAILING_PUNCTUATION = /[.,!?:;]+$/;

/** Message text with every http(s) URL a link that opens in a new tab, as LINE makes them tappable; all else plain text. */
export function linkedText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let from = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const href = match[0].replace(TRAILING_PUNCTUATION, '');
    const url = safeUrl(href);
    if (!url) continue;
    fragment.append(text.slice(from, match.index));
    const link = el('a');
    link.href = url.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = href;
    fragment.append(link);
    from = match.index + href.length;
  }
  fragment.append(text.slice(from));
  return fragment;
}
