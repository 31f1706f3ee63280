/** Markdown from teammates is untrusted: rendered by marked, then sanitised before it reaches the DOM. */
import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { MENTION_AT_START } from './mentions.js';

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

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `@[Name](user:<id>)` as an "@Name" chip. An inline token of its own, so it never fires inside code, and the
 * markup is not taken for a link to `user:…`.
 */
const mention: TokenizerAndRendererExtension = {
  name: 'mention',
  level: 'inline',
  start: (src) => src.indexOf('@['),
  tokenizer(src) {
    const match = MENTION_AT_START.exec(src);
    if (!match) return undefined;
    return { type: 'mention', raw: match[0], name: match[1]!, userId: match[2]!.toLowerCase() };
  },
  renderer: (token) =>
    `<span class="mention" data-user-id="${escapeHtml(String(token.userId))}">@${escapeHtml(String(token.name))}</span>`,
};
const markdown = new Marked({ async: false, gfm: true, breaks: true, extensions: [mention] });

/** The safe HTML of a markdown text (GitHub flavour, single newlines kept as line breaks, mentions as chips). */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false }) as string;
  return purifier.sanitize(html, { FORBID_ATTR, FORBID_TAGS });
}
