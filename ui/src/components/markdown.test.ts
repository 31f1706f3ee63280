// @vitest-environment jsdom
// happy-dom walks nested nodes in ways DOMPurify cannot rely on (handlers inside a <p> survive there).
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

/** The rendered HTML as a tree, to ask what survived sanitising. */
const tree = (source: string) => {
  const root = document.createElement('div');
  root.innerHTML = renderMarkdown(source);
  return root;
};

describe('renderMarkdown', () => {
  it('drops style attributes, which could overlay the app', () => {
    const root = tree('<p style="position:fixed;inset:0">Sign in again</p>\n\nand **bold**');
    expect(root.querySelector('[style]')).toBeNull();
    expect(root.textContent).toContain('Sign in again');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
  });

  it('drops form controls, raw or from task lists', () => {
    const root = tree(
      '<form action="https://evil.example"><input name="password"><button>Go</button><select><option>a</option></select><textarea></textarea></form>\n\n- [x] done',
    );
    expect(root.querySelector('form, input, button, select, option, textarea')).toBeNull();
    expect(root.querySelector('li')?.textContent).toContain('done');
  });

  it('gives every link rel="noopener noreferrer"', () => {
    const root = tree(
      '[docs](https://example.com) <a href="https://example.org" rel="opener" target="_blank">x</a>',
    );
    const links = [...root.querySelectorAll('a')];
    expect(links).toHaveLength(2);
    for (const link of links) expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('keeps no event handlers or script URLs', () => {
    const root = tree('<img src=x onerror="alert(1)"> [x](javascript:alert(1))');
    expect(root.querySelector('[onerror]')).toBeNull();
    expect(root.querySelector('a')?.getAttribute('href') ?? '').not.toMatch(/javascript/);
  });
});
