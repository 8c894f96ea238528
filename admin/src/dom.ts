/**
 * The page's only way to make DOM: elements with attributes, listeners and children, where
 * every string becomes a text node. Nothing here (or anywhere in the page) parses HTML, so a
 * value from the API can only ever show as its characters.
 */
export type Child = Node | string | number | null | undefined | false;

type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Listener | null | undefined>;

/** Properties set as such (their attributes only give the initial state). */
const LIVE = new Set(['checked', 'value', 'disabled', 'selected', 'indeterminate']);

function apply(node: Element, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      node.addEventListener(name.replace(/^on/, ''), value);
    } else if (LIVE.has(name)) {
      (node as unknown as Record<string, unknown>)[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, props);
  append(node, children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  apply(node, props);
  append(node, children);
  return node;
}

/** Replaces a node's children. */
export function replace(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}
