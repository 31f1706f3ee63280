import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export type Theme = 'light' | 'dark';
export const THEMES: Theme[] = ['light', 'dark'];

/** axe-core's browser bundle, injected into the page under test (the context must bypass the app's CSP). */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2.1 A and AA, plus label-in-name, which axe ships as experimental and leaves off unless asked. */
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  rules: { 'label-content-name-mismatch': { enabled: true } },
  resultTypes: ['violations'],
};

/** Fixes the theme the way the header's switch does (`data-theme`), without a reload. */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate((t) => {
    document.documentElement.dataset.theme = t;
  }, theme);
  // Two frames, so the new colours are computed and their transitions (buttons fade 0.12 s) have started, then the
  // end of every transition: axe read a button half-way between the two themes' colours otherwise.
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
    // Only transitions: a spinner's infinite animation never finishes.
    const transitions = document.getAnimations().filter((a) => 'transitionProperty' in a);
    await Promise.all(transitions.map((a) => a.finished.catch(() => null)));
  });
}

export type Violation = { rule: string; impact: string; target: string; summary: string };

/** Every axe violation of WCAG 2.1 AA on the page as it is now, one entry per failing element. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (options) => {
    type Result = {
      id: string;
      impact: string;
      nodes: { target: string[]; failureSummary?: string }[];
    };
    const axe = (
      window as unknown as { axe: { run(c: Document, o: unknown): Promise<{ violations: Result[] }> } }
    ).axe;
    const { violations } = await axe.run(document, options);
    return violations.flatMap((v) =>
      v.nodes.map((n) => ({
        rule: v.id,
        impact: v.impact,
        target: n.target.join(' '),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200),
      })),
    );
  }, AXE_OPTIONS);
}

/**
 * Tabs through the page (at most `limit` stops) and lists every element that looks the same focused and not:
 * outline, box shadow, border, background and underline are compared with the element blurred.
 */
export async function focusInvisible(page: Page, limit = 80): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen = new Set<string>();
  const invisible: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const look = () => {
        const s = getComputedStyle(el);
        return [
          s.outlineStyle === 'none' ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
          s.boxShadow,
          s.borderColor,
          s.backgroundColor,
          s.textDecorationLine,
        ].join('|');
      };
      const focused = look();
      el.blur();
      const blurred = look();
      // Script focus after a key press keeps :focus-visible, so the next Tab goes on from here.
      el.focus();
      const name =
        el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? el.getAttribute('name') ?? '';
      const where = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name}"`;
      return { where, visible: focused !== blurred };
    });
    if (!stop) continue;
    if (seen.has(stop.where)) break;
    seen.add(stop.where);
    if (!stop.visible) invisible.push(stop.where);
  }
  return invisible;
}

/**
 * Tabs forwards and backwards `presses` times inside an open dialog and returns every element outside it that
 * took focus (the page itself, i.e. the browser's own UI, is allowed: native modal dialogs let focus leave there).
 */
export async function focusEscapes(page: Page, dialog: string, presses = 25): Promise<string[]> {
  const escaped: string[] = [];
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < presses; i += 1) {
      await page.keyboard.press(key);
      const outside = await page.evaluate((selector) => {
        const el = document.activeElement;
        if (!el || el === document.body || el.closest(selector)) return null;
        return `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
      }, dialog);
      if (outside) escaped.push(`${key}: ${outside}`);
    }
  }
  return [...new Set(escaped)];
}

/** One line a violation, naming where it was found, for a failure message a person can act on. */
export function report(screen: string, theme: Theme, list: Violation[]): string[] {
  return list.map((v) => `[${screen} · ${theme}] ${v.impact} ${v.rule} @ ${v.target} — ${v.summary}`);
}
