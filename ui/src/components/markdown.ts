/** Markdown from teammates is untrusted: rendered by marked, then sanitised before it reaches the DOM. */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

// An instance of our own, so the link hook below applies to markdown only.
const purifier = DOMPurify(window);
// A `style` attribute can overlay the app (fake sign-in boxes, hidden text); form controls can phish for input.
const FORBID_ATTR = ['style'];
const FORBID_TAGS = [
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'fieldset',
  'label',
];
// Links a teammate wrote must not get a handle on our window (window.opener) nor learn which page linked them.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
});

/** The safe HTML of a markdown text (GitHub flavour, single newlines kept as line breaks). */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: true }) as string;
  return purifier.sanitize(html, { FORBID_ATTR, FORBID_TAGS });
}
