import { onBeforeUnmount, onMounted, type Ref } from 'vue';
import type { TaskStatus } from '../services/types.js';

export type DropTarget = { status: TaskStatus; index: number };

/** A mouse drag starts once the pointer has moved this far with the button down. */
const START_DISTANCE = 5;
/** A finger (or pen) picks a card up by resting on it this long… */
export const LONG_PRESS_MS = 280;
/** …without moving further than this: a finger that moves first is scrolling, and the browser keeps it. */
const TOUCH_SLOP = 8;
/** Within this distance of an edge the column (vertically) or the board (horizontally) scrolls… */
const EDGE = 48;
/** …by up to this many pixels a frame, faster the closer the pointer is to the edge. */
const MAX_SCROLL = 16;

/**
 * Pointer drag and drop for the board, delegated on its container: one code path for mouse, finger and pen. A
 * mouse drags as soon as it moves; a finger or pen first holds the card for a moment (a long press), so a swipe
 * still scrolls the board and the columns. While dragging, nothing reactive changes: a ghost follows the pointer
 * by transform, one outline marks the column and one line the gap, so a board of a thousand cards stays smooth.
 * Gaps are found by binary search over the cards' rectangles (they are in position order).
 *
 * The view binds `onPointerDown`, `onTouchMove` and `onContextMenu` on the board element. `onTouchMove` must be
 * a non-passive listener on the board itself (Vue's default): browsers decide whether a touch may scroll from the
 * listeners present when it starts, and stopping the scroll once a card is lifted needs that listener.
 */
export function useBoardDrag(
  board: Ref<HTMLElement | null>,
  onDrop: (taskId: string, target: DropTarget) => void,
) {
  let start: { x: number; y: number; card: HTMLElement; pointerId: number; touch: boolean } | null = null;
  let pressTimer: ReturnType<typeof setTimeout> | undefined;
  let ghost: HTMLElement | null = null;
  let indicator: HTMLElement | null = null;
  let outline: HTMLElement | null = null;
  let offset = { x: 0, y: 0 };
  let pointer = { x: 0, y: 0 };
  let target: DropTarget | null = null;
  let frame = 0;
  let suppressClick = false;
  let suppressTimer: ReturnType<typeof setTimeout> | undefined;
  // The cards of each column, collected once per drag: nothing re-renders while the pointer moves.
  let cardsOf = new Map<HTMLElement, HTMLElement[]>();
  // Ghost, column outline and gap marker live in one fixed, fully contained layer made up front, so starting a
  // drag lays out that layer alone instead of the whole page.
  let layer: HTMLElement | null = null;
  onMounted(() => {
    layer = document.createElement('div');
    layer.className = 'drag-layer';
    layer.setAttribute('aria-hidden', 'true');
    document.body.append(layer);
  });

  function onPointerDown(event: PointerEvent) {
    if (event.button !== 0 || start) return;
    const card = (event.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    if (!card || (event.target as HTMLElement).closest('button, a, input, select, textarea')) return;
    clearSuppression();
    const touch = event.pointerType !== 'mouse';
    start = { x: event.clientX, y: event.clientY, card, pointerId: event.pointerId, touch };
    pointer = { x: event.clientX, y: event.clientY };
    window.addEventListener('pointermove', onPointerMove);
    window.addEventListener('pointerup', onPointerUp);
    window.addEventListener('pointercancel', onPointerCancel);
    window.addEventListener('keydown', onKeyDown, true);
    if (touch) {
      // The card sinks a little while the finger rests on it: the cue that holding it picks it up.
      card.classList.add('drag-pressing');
      pressTimer = setTimeout(lift, LONG_PRESS_MS);
    }
  }

  /** The long press completed: the card comes up under the finger. */
  function lift() {
    pressTimer = undefined;
    if (!start || ghost) return;
    start.card.classList.remove('drag-pressing');
    begin();
    schedule();
  }

  function begin() {
    if (!start) return;
    const { card } = start;
    const rect = card.getBoundingClientRect();
    offset = { x: start.x - rect.left, y: start.y - rect.top };
    ghost = card.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('data-task-id');
    ghost.classList.remove('drag-pressing');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.classList.add('drag-ghost');
    // A finger's card rises a little as it comes up.
    if (start.touch) ghost.classList.add('drag-lifted');
    Object.assign(ghost.style, { width: `${rect.width}px`, left: '0px', top: '0px' });
    outline = document.createElement('div');
    outline.className = 'drop-column';
    indicator = document.createElement('div');
    indicator.className = 'drop-indicator';
    (layer ?? document.body).append(outline, indicator, ghost);
    card.classList.add('drag-source');
    // Columns may not snap into place while the board scrolls under a dragged card; they snap again on drop.
    const el = board.value;
    if (el && el.scrollWidth > el.clientWidth) el.style.scrollSnapType = 'none';
    // No class on <body>: restyling a thousand cards would cost a frame. Just keep text from being selected.
    window.getSelection()?.removeAllRanges();
    document.addEventListener('selectstart', preventDefault);
  }

  function preventDefault(event: Event) {
    event.preventDefault();
  }

  function onPointerMove(event: PointerEvent) {
    if (!start || event.pointerId !== start.pointerId) return;
    pointer = { x: event.clientX, y: event.clientY };
    if (!ghost) {
      const moved = Math.hypot(pointer.x - start.x, pointer.y - start.y);
      if (moved < (start.touch ? TOUCH_SLOP : START_DISTANCE)) return;
      // A finger that moves before the long press completes is scrolling: leave it to the browser.
      if (start.touch) return finish();
      begin();
    }
    event.preventDefault();
    schedule();
  }

  /** While a card is lifted, the finger moves the card, not the page. Before that, touches scroll as usual. */
  function onTouchMove(event: TouchEvent) {
    if (ghost && event.cancelable) event.preventDefault();
  }

  /** A long press would open the browser's context menu (Android) or callout (iOS) over a card being held. */
  function onContextMenu(event: Event) {
    if (start?.touch) event.preventDefault();
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(update);
  }

  /** One layout read-pass then one write-pass per frame. */
  function update() {
    frame = 0;
    if (!ghost || !indicator || !outline || !start) return;
    ghost.style.transform = `translate(${pointer.x - offset.x}px, ${pointer.y - offset.y}px) rotate(1.5deg)`;
    const scrolledBoard = autoScrollBoard();
    const column = columnAt(pointer.x, pointer.y);
    if (!column) {
      target = null;
      indicator.style.display = 'none';
      outline.style.display = 'none';
      if (scrolledBoard) schedule();
      return;
    }
    const list = column.querySelector<HTMLElement>('[data-cards]')!;
    if (autoScrollList(list) || scrolledBoard) schedule();
    let cards = cardsOf.get(list);
    if (!cards) {
      cards = [...list.querySelectorAll<HTMLElement>('[data-task-id]')].filter((c) => c !== start!.card);
      cardsOf.set(list, cards);
    }
    const index = gapIndex(cards, pointer.y);
    const columnRect = column.getBoundingClientRect();
    const listRect = list.getBoundingClientRect();
    let y: number;
    if (cards.length === 0) y = listRect.top + 8;
    else if (index < cards.length) y = cards[index]!.getBoundingClientRect().top - 4;
    else y = cards[cards.length - 1]!.getBoundingClientRect().bottom + 4;
    target = { status: column.dataset.column as TaskStatus, index };
    Object.assign(outline.style, {
      display: 'block',
      width: `${columnRect.width}px`,
      height: `${columnRect.height}px`,
      transform: `translate(${columnRect.left}px, ${columnRect.top}px)`,
    });
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

  /** Scrolls the column's list when the pointer nears its top or bottom. True when it scrolled. */
  function autoScrollList(list: HTMLElement): boolean {
    const rect = list.getBoundingClientRect();
    const step = edgeStep(pointer.y, rect.top, rect.bottom);
    if (!step) return false;
    const before = list.scrollTop;
    list.scrollTop += step;
    return list.scrollTop !== before;
  }

  /** Scrolls the board sideways when the pointer nears its left or right edge (phones show one column). */
  function autoScrollBoard(): boolean {
    const el = board.value;
    if (!el || el.scrollWidth <= el.clientWidth) return false;
    const rect = el.getBoundingClientRect();
    const step = edgeStep(pointer.x, rect.left, rect.right);
    if (!step) return false;
    const before = el.scrollLeft;
    el.scrollLeft += step;
    return el.scrollLeft !== before;
  }

  function onPointerUp(event: PointerEvent) {
    if (!start || event.pointerId !== start.pointerId) return;
    const wasDragging = ghost !== null;
    const id = start.card.dataset.taskId;
    const touch = start.touch;
    // Where the card ends up is where it was last shown, even if the final move has not been drawn yet.
    if (wasDragging && frame) update();
    const drop = target;
    finish();
    if (wasDragging) {
      // The click that follows a drag must not open the task. After a mouse it comes at once; after a finger
      // the browser may send it a little later.
      suppressClick = true;
      suppressTimer = setTimeout(clearSuppression, touch ? 500 : 0);
      if (id && drop) onDrop(id, drop);
    }
  }

  function onPointerCancel(event: PointerEvent) {
    if (start && event.pointerId === start.pointerId) finish();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && ghost) {
      event.preventDefault();
      event.stopPropagation();
      finish();
    }
  }

  function clearSuppression() {
    clearTimeout(suppressTimer);
    suppressClick = false;
  }

  function finish() {
    clearTimeout(pressTimer);
    pressTimer = undefined;
    cancelAnimationFrame(frame);
    frame = 0;
    start?.card.classList.remove('drag-source', 'drag-pressing');
    if (ghost && board.value) board.value.style.scrollSnapType = '';
    ghost?.remove();
    indicator?.remove();
    outline?.remove();
    ghost = indicator = outline = null;
    start = null;
    target = null;
    cardsOf = new Map();
    document.removeEventListener('selectstart', preventDefault);
    window.removeEventListener('pointermove', onPointerMove);
    window.removeEventListener('pointerup', onPointerUp);
    window.removeEventListener('pointercancel', onPointerCancel);
    window.removeEventListener('keydown', onKeyDown, true);
  }

  /** True for the click that ends a drag, which must not open the task. */
  const isDragClick = () => suppressClick;

  onBeforeUnmount(() => {
    finish();
    clearSuppression();
    layer?.remove();
  });
  return { onPointerDown, onTouchMove, onContextMenu, isDragClick };
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

/**
 * How far to scroll along one axis when `at` is within EDGE of `low` or `high`: negative towards `low`, growing
 * to MAX_SCROLL at the edge (and beyond it, where a finger can still be); 0 elsewhere.
 */
export function edgeStep(at: number, low: number, high: number): number {
  const edge = Math.min(EDGE, (high - low) / 3);
  if (at < low + edge) return -Math.ceil(MAX_SCROLL * Math.min(1, (low + edge - at) / edge));
  if (at > high - edge) return Math.ceil(MAX_SCROLL * Math.min(1, (at - (high - edge)) / edge));
  return 0;
}
