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

describe('mentions in markdown', () => {
  const id = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';

  it('shows @[Name](user:<id>) as an @Name chip, not as a link', () => {
    const root = tree(`thanks @[Ada Lovelace](user:${id}), see above`);
    const chip = root.querySelector('.mention');
    expect(chip?.textContent).toBe('@Ada Lovelace');
    expect(chip?.getAttribute('data-user-id')).toBe(id);
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent?.trim()).toBe('thanks @Ada Lovelace, see above');
  });

  it('escapes the name, and leaves mentions inside code as written', () => {
    const root = tree(`@[<img src=x onerror=alert(1)>](user:${id}) and \`@[Ada](user:${id})\``);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.mention')?.textContent).toBe('@<img src=x onerror=alert(1)>');
    expect(root.querySelector('code')?.textContent).toBe(`@[Ada](user:${id})`);
  });
});
