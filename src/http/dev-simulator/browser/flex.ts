import { el, linkedText, safeColor, safeUrl } from './dom.js';
import type { FlexBubble, FlexComponent, FlexContainer, LineAction } from './line-types.js';

// Simplified but faithful enough to read and tap.
const SIZES: Record<string, string> = { xxs: '11px', xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '19px', xxl: '22px', '3xl': '26px', '4xl': '30px', '5xl': '36px' };
const SPACING: Record<string, string> = { none: '0', xs: '2px', sm: '4px', md: '8px', lg: '12px', xl: '16px', xxl: '20px' };

export type RunAction = (action: LineAction) => void;

export function flexContainer(container: FlexContainer, run: RunAction): HTMLElement {
  if (container.type === 'carousel') {
    const strip = el('div', 'carousel');
    for (const bubble of container.contents ?? []) strip.appendChild(flexBubble(bubble, run));
    return strip;
  }
  return flexBubble(container, run);
}

function flexBubble(bubble: FlexBubble, run: RunAction): HTMLElement {
  const card = el('div', 'card');
  for (const part of ['header', 'hero', 'body', 'footer'] as const) {
    const component = bubble[part];
    if (!component) continue;
    const rendered = flexComponent(component, run);
    if (!rendered) continue;
    const section = el('div', `section ${part}`);
    section.appendChild(rendered);
    card.appendChild(section);
  }
  return card;
}

function styleText(node: HTMLElement, component: FlexComponent): void {
  if (component.weight === 'bold') node.style.fontWeight = '700';
  if (component.style === 'italic') node.style.fontStyle = 'italic';
  const size = component.size ? SIZES[component.size] : undefined;
  if (size) node.style.fontSize = size;
  const color = safeColor(component.color);
  if (color) node.style.color = color;
  if (component.decoration === 'line-through' || component.decoration === 'underline') node.style.textDecoration = component.decoration;
  if (component.align === 'center' || component.align === 'end') node.style.textAlign = component.align === 'end' ? 'right' : 'center';
}

function tappable(node: HTMLElement, action: LineAction | undefined, run: RunAction): void {
  if (!action) return;
  node.classList.add('tappable');
  node.addEventListener('click', (event) => {
    event.stopPropagation();
    run(action);
  });
}

function flexComponent(component: FlexComponent, run: RunAction): HTMLElement | null {
  let node: HTMLElement;
  switch (component.type) {
    case 'box': {
      const layout = component.layout === 'horizontal' || component.layout === 'baseline' ? component.layout : 'vertical';
      node = el('div', `box ${layout}`);
      for (const child of component.contents ?? []) {
        const rendered = flexComponent(child, run);
        if (rendered) node.appendChild(rendered);
      }
      const gap = component.spacing ? SPACING[component.spacing] : undefined;
      if (gap) node.style.gap = gap;
      const background = safeColor(component.backgroundColor);
      if (background) node.style.backgroundColor = background;
      tappable(node, component.action, run);
      break;
    }
    case 'text': {
      node = el('div', 'text');
      if (Array.isArray(component.contents) && component.contents.length > 0) {
        for (const span of component.contents) {
          const part = el('span');
          part.textContent = span.text ?? '';
          styleText(part, span);
          node.appendChild(part);
        }
      } else if (component.action) {
        node.textContent = component.text ?? '';
      } else {
        // A card's URL row is a link, as in LINE; a tappable text keeps its own action.
        node.appendChild(linkedText(component.text ?? ''));
      }
      styleText(node, component);
      tappable(node, component.action, run);
      break;
    }
    case 'button': {
      const style = component.style === 'primary' || component.style === 'secondary' ? component.style : 'link';
      const button = el('button', `fbtn ${style}`);
      button.type = 'button';
      button.textContent = component.action?.label ?? 'Button';
      const color = safeColor(component.color);
      if (color && style === 'primary') button.style.backgroundColor = color;
      if (color && style !== 'primary') button.style.color = color;
      const { action } = component;
      button.addEventListener('click', () => {
        if (action) run(action);
      });
      node = button;
      break;
    }
    case 'image': {
      const url = safeUrl(component.url);
      if (!url) return null;
      const image = el('img', 'fimg');
      image.alt = '';
      image.src = url.href;
      const ratio = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(component.aspectRatio ?? '');
      if (ratio) {
        image.style.aspectRatio = `${ratio[1]} / ${ratio[2]}`;
        image.style.width = '100%';
      }
      image.style.objectFit = component.aspectMode === 'cover' ? 'cover' : 'contain';
      tappable(image, component.action, run);
      node = image;
      break;
    }
    case 'separator':
      return el('hr', 'separator');
    case 'filler':
    case 'spacer':
      return el('div', 'filler');
    default:
      return null;
  }
  if (typeof component.flex === 'number') node.style.flex = `${component.flex} 1 0`;
  const margin = component.margin ? SPACING[component.margin] : undefined;
  if (margin) node.style.marginTop = margin;
  return node;
}
