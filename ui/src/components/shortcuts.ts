/** The keyboard shortcuts the app has, by where they work: what the `?` dialog lists. */
export type Shortcut = { keys: string[]; does: string };
export type ShortcutGroup = { where: string; shortcuts: Shortcut[] };

export const SHORTCUTS: ShortcutGroup[] = [
  {
    where: 'Anywhere',
    shortcuts: [
      { keys: ['?'], does: 'Show these shortcuts' },
      { keys: ['Tab'], does: 'At the top of a page: Skip to content' },
      { keys: ['Esc'], does: 'Close a dialog or the task panel' },
    ],
  },
  {
    where: 'Board',
    shortcuts: [
      { keys: ['←', '↑', '→', '↓'], does: 'Move between cards and columns' },
      { keys: ['Enter'], does: 'Open the task' },
      { keys: ['Space'], does: 'Pick the card up, or drop it' },
      { keys: ['↑', '↓'], does: 'Carry a picked-up card within its column' },
      { keys: ['←', '→'], does: 'Carry a picked-up card to the next column' },
      { keys: ['Esc'], does: 'Put a picked-up or dragged card back' },
    ],
  },
  {
    where: 'List',
    shortcuts: [
      { keys: ['Space'], does: "On a row's checkbox: select it or not" },
      { keys: ['Shift', 'click'], does: 'Select every row from the last one ticked' },
      { keys: ['x'], does: 'On a row: select it or not' },
      { keys: ['Esc'], does: 'Clear the selection' },
    ],
  },
  {
    where: 'Calendar',
    shortcuts: [
      { keys: ['Enter'], does: 'On a task: open it' },
      { keys: ['Space'], does: 'Pick the task up, or drop it on the day it is on' },
      { keys: ['←', '→'], does: 'Carry a picked-up task to the day before or after' },
      { keys: ['↑', '↓'], does: 'Carry a picked-up task a week earlier or later' },
      { keys: ['Esc'], does: 'Put a picked-up task back' },
    ],
  },
  {
    where: 'Adding a task',
    shortcuts: [
      { keys: ['Enter'], does: 'Add it and start the next one' },
      { keys: ['Esc'], does: 'Stop adding' },
    ],
  },
  {
    where: 'Task panel',
    shortcuts: [
      { keys: ['Enter'], does: 'In the title: save it' },
      { keys: ['Ctrl', 'Enter'], does: 'Save the description, or post the comment (⌘ Enter on a Mac)' },
    ],
  },
];

/** Whether a key press is someone typing (a field, an editable region) rather than a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
