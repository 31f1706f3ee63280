export type Theme = 'light' | 'dark' | 'system';
const KEY = 'taskstack.theme';

/** The theme the person picked last (system by default). */
export function storedTheme(): Theme {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Both themes come from one set of CSS variables; `data-theme` only picks which values they take. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') {
    delete document.documentElement.dataset.theme;
    localStorage.removeItem(KEY);
  } else {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(KEY, theme);
  }
}
