import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { edgeStep, LONG_PRESS_MS, useBoardDrag, type DropTarget } from './useBoardDrag.js';

/**
 * A board of two columns side by side (todo at x 0–200, done at x 220–420), each card 50 px tall with 10 px
 * between. happy-dom lays nothing out, so every element gets its rectangle here.
 */
const COLUMNS = { todo: ['a', 'b'], done: ['c'] } as const;
const columnLeft = (status: string) => (status === 'todo' ? 0 : 220);
const cardTop = (index: number) => 100 + index * 60;

let drops: [string, DropTarget][];
let wrapper: VueWrapper;
let clicks: string[];

function rect(x: number, y: number, width: number, height: number) {
  return () => new DOMRect(x, y, width, height);
}

function mountBoard() {
  const Board = defineComponent(() => {
    const el = ref<HTMLElement | null>(null);
    const drag = useBoardDrag(el, (id, target) => drops.push([id, target]));
    const onClick = (event: MouseEvent) => {
      const card = (event.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
      if (card && !drag.isDragClick()) clicks.push(card.dataset.taskId!);
    };
    return () =>
      h(
        'div',
        {
          ref: el,
          'data-testid': 'board',
          onPointerdown: drag.onPointerDown,
          onTouchmove: drag.onTouchMove,
          onContextmenu: drag.onContextMenu,
          onClick,
        },
        Object.entries(COLUMNS).map(([status, ids]) =>
          h('section', { 'data-column': status }, [
            h(
              'div',
              { 'data-cards': '' },
              ids.map((id) => h('article', { 'data-task-id': id }, id)),
            ),
          ]),
        ),
      );
  });
  wrapper = mount(Board, { attachTo: document.body });
  const board = wrapper.element as HTMLElement;
  board.getBoundingClientRect = rect(0, 0, 420, 800);
  for (const column of board.querySelectorAll<HTMLElement>('[data-column]')) {
    const left = columnLeft(column.dataset.column!);
    column.getBoundingClientRect = rect(left, 60, 200, 600);
    column.querySelector<HTMLElement>('[data-cards]')!.getBoundingClientRect = rect(left, 90, 200, 560);
    column.querySelectorAll<HTMLElement>('[data-task-id]').forEach((card, index) => {
      card.getBoundingClientRect = rect(left + 10, cardTop(index), 180, 50);
    });
  }
  return board;
}

const card = (id: string) => document.querySelector<HTMLElement>(`[data-task-id="${id}"]`)!;
const ghost = () => document.querySelector('.drag-layer .drag-ghost');

function pointer(type: string, target: EventTarget, x: number, y: number, pointerType = 'touch') {
  const event = new PointerEvent(type, {
    bubbles: true,
    cancelable: true,
    clientX: x,
    clientY: y,
    pointerId: 7,
    pointerType,
    button: type === 'pointermove' ? -1 : 0,
  });
  target.dispatchEvent(event);
  return event;
}

function touchMove(target: EventTarget) {
  const event = new TouchEvent('touchmove', { bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

/** Moves the pointer and lets the next animation frame run. */
function moveTo(x: number, y: number, pointerType = 'touch') {
  pointer('pointermove', card('a'), x, y, pointerType);
  vi.advanceTimersByTime(20);
}

beforeEach(() => {
  vi.useFakeTimers();
  drops = [];
  clicks = [];
});
afterEach(() => {
  wrapper.unmount();
  vi.useRealTimers();
});

describe('useBoardDrag with a finger', () => {
  it('picks a card up after a long press and drops it where the finger lifts', () => {
    const board = mountBoard();
    pointer('pointerdown', card('a'), 50, 120);
    expect(card('a').classList).toContain('drag-pressing');
    // Before the long press completes, a touch scrolls as usual.
    expect(touchMove(card('a')).defaultPrevented).toBe(false);
    vi.advanceTimersByTime(LONG_PRESS_MS - 1);
    expect(ghost()).toBeNull();
    vi.advanceTimersByTime(1);
    expect(ghost()?.classList).toContain('drag-lifted');
    expect(card('a').classList).toContain('drag-source');
    expect(card('a').classList).not.toContain('drag-pressing');
    // Once lifted, the finger moves the card and not the page; no context menu opens under it.
    expect(touchMove(card('a')).defaultPrevented).toBe(true);
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    card('a').dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(true);

    // Into Done, above its only card: the column is outlined and the gap marked.
    moveTo(300, 110);
    expect(document.querySelector<HTMLElement>('.drop-column')!.style.transform).toBe(
      'translate(220px, 60px)',
    );
    expect(document.querySelector<HTMLElement>('.drop-indicator')!.style.display).toBe('block');
    moveTo(310, 112);
    pointer('pointerup', card('a'), 310, 112);
    expect(drops).toEqual([['a', { status: 'done', index: 0 }]]);
    expect(ghost()).toBeNull();
    expect(card('a').classList).not.toContain('drag-source');
    expect(board.style.scrollSnapType).toBe('');
    // The click a browser may send after the finger lifts does not open the task.
    card('a').click();
    expect(clicks).toEqual([]);
    vi.advanceTimersByTime(600);
    card('a').click();
    expect(clicks).toEqual(['a']);
  });

  it('leaves a swipe to the browser: moving before the long press completes never lifts the card', () => {
    mountBoard();
    pointer('pointerdown', card('a'), 50, 120);
    vi.advanceTimersByTime(100);
    pointer('pointermove', card('a'), 50, 140);
    expect(card('a').classList).not.toContain('drag-pressing');
    vi.advanceTimersByTime(LONG_PRESS_MS);
    expect(ghost()).toBeNull();
    expect(touchMove(card('a')).defaultPrevented).toBe(false);
    pointer('pointerup', card('a'), 50, 300);
    expect(drops).toEqual([]);
  });

  it('a tap still opens the task', () => {
    mountBoard();
    pointer('pointerdown', card('b'), 50, 170);
    vi.advanceTimersByTime(90);
    pointer('pointerup', card('b'), 50, 170);
    card('b').click();
    vi.advanceTimersByTime(LONG_PRESS_MS);
    expect(ghost()).toBeNull();
    expect(drops).toEqual([]);
    expect(clicks).toEqual(['b']);
  });

  it('puts the card back when the browser cancels the touch', () => {
    mountBoard();
    pointer('pointerdown', card('a'), 50, 120);
    vi.advanceTimersByTime(LONG_PRESS_MS);
    moveTo(300, 110);
    pointer('pointercancel', card('a'), 300, 110);
    pointer('pointerup', card('a'), 300, 110);
    expect(ghost()).toBeNull();
    expect(drops).toEqual([]);
  });

  it('ignores a second finger', () => {
    mountBoard();
    pointer('pointerdown', card('a'), 50, 120);
    vi.advanceTimersByTime(LONG_PRESS_MS);
    card('c').dispatchEvent(
      new PointerEvent('pointerdown', { bubbles: true, clientX: 300, clientY: 120, pointerId: 8, button: 0 }),
    );
    // Below card b (its middle is at 185): the gap after it.
    moveTo(50, 200);
    pointer('pointerup', card('a'), 50, 200);
    expect(drops).toEqual([['a', { status: 'todo', index: 1 }]]);
  });
});

describe('useBoardDrag with a mouse', () => {
  it('drags as soon as the mouse moves, and Escape puts the card back', () => {
    mountBoard();
    pointer('pointerdown', card('b'), 50, 170, 'mouse');
    expect(card('b').classList).not.toContain('drag-pressing');
    moveTo(60, 175, 'mouse');
    expect(ghost()).not.toBeNull();
    moveTo(300, 200, 'mouse');
    pointer('pointerup', card('b'), 300, 200, 'mouse');
    expect(drops).toEqual([['b', { status: 'done', index: 1 }]]);

    pointer('pointerdown', card('a'), 50, 120, 'mouse');
    moveTo(300, 200, 'mouse');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(ghost()).toBeNull();
    pointer('pointerup', card('a'), 300, 200, 'mouse');
    expect(drops).toHaveLength(1);
  });
});

describe('edgeStep', () => {
  it('scrolls towards an edge the pointer nears, faster the closer it is', () => {
    expect(edgeStep(200, 0, 400)).toBe(0);
    expect(edgeStep(390, 0, 400)).toBeGreaterThan(0);
    expect(edgeStep(399, 0, 400)).toBeGreaterThan(edgeStep(360, 0, 400));
    expect(edgeStep(5, 0, 400)).toBeLessThan(0);
    // Past the edge (a finger on the screen's rim) it scrolls at full speed, never faster.
    expect(edgeStep(-50, 0, 400)).toBe(edgeStep(0, 0, 400));
  });
});
