const TABBABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/**
 * Keeps Tab and Shift+Tab inside `container` (a dialog that is not a native <dialog>, such as the task panel):
 * from the last stop Tab wraps to the first, from the first (or the container itself) Shift+Tab to the last.
 */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  const stops = [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) => el.tabIndex >= 0 && !el.matches(':disabled') && el.getClientRects().length > 0,
  );
  const first = stops[0];
  const last = stops.at(-1);
  const active = document.activeElement;
  if (!first || !last) {
    event.preventDefault();
  } else if (event.shiftKey && (active === first || active === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}
