// The last gate between a model's answer and the page: DOMPurify with an allow-list of the elements
// markdown produces (no scripts, styles, forms, frames, images or media; no event handlers or style
// attributes; links only to http(s) and mailto), returning nodes ready to insert. The CSP forbids
// inline script and remote loads as well, so each layer alone keeps an answer inert.
import DOMPurify from 'dompurify';
import { markdownToHtml, SAFE_LINK } from './markdown';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];

const purifier = DOMPurify(window);
purifier.addHook('uponSanitizeAttribute', (node, data) => {
  // Only the highlighter's and markdown's own classes: an answer cannot borrow the panel's styles.
  if (data.attrName === 'class') {
    data.attrValue = data.attrValue
      .split(/\s+/)
      .filter((name) => /^(?:hljs[\w-]*|language-[\w+#.-]+)$/.test(name))
      .join(' ');
    data.keepAttr = data.attrValue !== '';
  }
  if (data.attrName === 'href' && !SAFE_LINK.test(data.attrValue.trim())) data.keepAttr = false;
  void node;
});
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer');
    if (node.hasAttribute('href')) node.setAttribute('title', node.getAttribute('href')!);
  }
});

/** The answer's markdown as sanitised nodes (code highlighted unless `highlight: false`). */
export function renderAnswer(text: string, options: { highlight?: boolean } = {}): DocumentFragment {
  return sanitizeHtml(markdownToHtml(text, options));
}

export function sanitizeHtml(html: string): DocumentFragment {
  return purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'class', 'title', 'start'],
    ALLOWED_URI_REGEXP: SAFE_LINK,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
}
