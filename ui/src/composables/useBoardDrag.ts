import { onBeforeUnmount, onMounted, type Ref } from 'vue';
import type { TaskStatus } from '../services/types.js';

export type DropTarget = { status: TaskStatus; index: number };

const START_DISTANCE = 5;
const EDGE = 48;

/**
 * Pointer drag and drop for the board, delegated on its container. While dragging, nothing reactive changes: a
 * ghost follows the pointer by transform and one indicator line marks the gap, so a board of a thousand cards
 * stays smooth. Gaps are found by binary search over the cards' rectangles (they are in position order).
 */
export function useBoardDrag(
  board: Ref<HTMLElement | null>,
  onDrop: (taskId: string, target: DropTarget) => void,
) {
  let start: { x: number; y: number; card: HTMLElement; pointerId: number } | null = null;
  let ghost: HTMLElement | null = null;
  let indicator: HTMLElement | null = null;
  let offset = { x: 0, y: 0 };
  let pointer = { x: 0, y: 0 };
  let target: DropTarget | null = null;
  let frame = 0;
  let suppressClick = false;
  // The cards of each column, collected once per drag: nothing re-renders while the pointer moves.
  let cardsOf = new Map<HTMLElement, HTMLElement[]>();
  // Ghost and gap marker live in one fixed, fully contained layer made up front, so starting a drag lays out
  // that layer alone instead of the whole page.
  let layer: HTMLElement | null = null;
  onMounted(() => {
    layer = document.createElement('div');
    layer.className = 'drag-layer';
    layer.setAttribute('aria-hidden', 'true');
    document.body.append(layer);
  });

  function onPointerDown(event: PointerEvent) {
    if (event.button !== 0 || event.pointerType === 'touch') return;
    const card = (event.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    if (!card || (event.target as HTMLElement).closest('button, a, input, select, textarea')) return;
    start = { x: event.clientX, y: event.clientY, card, pointerId: event.pointerId };
    window.addEventListener('pointermove', onPointerMove);
    window.addEventListener('pointerup', onPointerUp);
    window.addEventListener('keydown', onKeyDown, true);
  }

  function begin() {
    if (!start) return;
    const { card } = start;
    const rect = card.getBoundingClientRect();
    offset = { x: start.x - rect.left, y: start.y - rect.top };
    ghost = card.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('data-task-id');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.classList.add('drag-ghost');
    Object.assign(ghost.style, { width: `${rect.width}px`, left: '0px', top: '0px' });
    indicator = document.createElement('div');
    indicator.className = 'drop-indicator';
    (layer ?? document.body).append(ghost, indicator);
    card.classList.add('drag-source');
    // No class on <body>: restyling a thousand cards would cost a frame. Just keep text from being selected.
    window.getSelection()?.removeAllRanges();
    document.addEventListener('selectstart', preventSelection);
  }

  function preventSelection(event: Event) {
    event.preventDefault();
  }

  function onPointerMove(event: PointerEvent) {
    if (!start) return;
    pointer = { x: event.clientX, y: event.clientY };
    if (!ghost) {
      if (Math.hypot(pointer.x - start.x, pointer.y - start.y) < START_DISTANCE) return;
      begin();
    }
    event.preventDefault();
    if (!frame) frame = requestAnimationFrame(update);
  }

  /** One layout read-pass then one write-pass per frame. */
  function update() {
    frame = 0;
    if (!ghost || !indicator || !start) return;
    ghost.style.transform = `translate(${pointer.x - offset.x}px, ${pointer.y - offset.y}px) rotate(1.5deg)`;
    const column = columnAt(pointer.x, pointer.y);
    if (!column) {
      target = null;
      indicator.style.display = 'none';
      return;
    }
    const list = column.querySelector<HTMLElement>('[data-cards]')!;
    autoScroll(list);
    let cards = cardsOf.get(list);
    if (!cards) {
      cards = [...list.querySelectorAll<HTMLElement>('[data-task-id]')].filter((c) => c !== start!.card);
      cardsOf.set(list, cards);
    }
    const index = gapIndex(cards, pointer.y);
    const listRect = list.getBoundingClientRect();
    let y: number;
    if (cards.length === 0) y = listRect.top + 8;
    else if (index < cards.length) y = cards[index]!.getBoundingClientRect().top - 4;
    else y = cards[cards.length - 1]!.getBoundingClientRect().bottom + 4;
    target = { status: column.dataset.column as TaskStatus, index };
    Object.assign(indicator.style, {
      display: 'block',
      width: `${listRect.width - 20}px`,
      transform: `translate(${listRect.left + 10}px, ${Math.max(listRect.top, Math.min(y, listRect.bottom)) - 1}px)`,
    });
  }

  function columnAt(x: number, y: number): HTMLElement | null {
    const columns = board.value?.querySelectorAll<HTMLElement>('[data-column]') ?? [];
    for (const column of columns) {
      const rect = column.getBoundingClientRect();
      if (x >= rect.left && x <= rect.right && y >= rect.top - 40 && y <= rect.bottom + 40) return column;
    }
    return null;
  }

  function autoScroll(list: HTMLElement) {
    const rect = list.getBoundingClientRect();
    if (pointer.y < rect.top + EDGE) list.scrollTop -= 12;
    else if (pointer.y > rect.bottom - EDGE) list.scrollTop += 12;
    else return;
    if (!frame) frame = requestAnimationFrame(update);
  }

  function onPointerUp() {
    const wasDragging = ghost !== null;
    const id = start?.card.dataset.taskId;
    const drop = target;
    finish();
    if (wasDragging) {
      suppressClick = true;
      setTimeout(() => (suppressClick = false), 0);
      if (id && drop) onDrop(id, drop);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && ghost) {
      event.preventDefault();
      event.stopPropagation();
      finish();
    }
  }

  function finish() {
    cancelAnimationFrame(frame);
    frame = 0;
    start?.card.classList.remove('drag-source');
    ghost?.remove();
    indicator?.remove();
    ghost = indicator = null;
    start = null;
    target = null;
    cardsOf = new Map();
    document.removeEventListener('selectstart', preventSelection);
    window.removeEventListener('pointermove', onPointerMove);
    window.removeEventListener('pointerup', onPointerUp);
    window.removeEventListener('keydown', onKeyDown, true);
  }

  /** True for the click that ends a drag, which must not open the task. */
  const isDragClick = () => suppressClick;

  onBeforeUnmount(() => {
    finish();
    layer?.remove();
  });
  return { onPointerDown, isDragClick };
}

/** The number of cards whose middle is above `y`: the gap the pointer is in. */
export function gapIndex(cards: HTMLElement[], y: number): number {
  let low = 0;
  let high = cards.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const rect = cards[mid]!.getBoundingClientRect();
    if (rect.top + rect.height / 2 < y) low = mid + 1;
    else high = mid;
  }
  return low;
}
