import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, messageOf } from '../services/errors.js';

/** A button on the toast (Undo); it runs once, and the toast goes with it. */
export type ToastAction = { label: string; run: () => unknown };
export type Toast = {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  message: string;
  action?: ToastAction;
};

/** How long an Undo stays offered: long enough to notice the mistake, short enough not to linger. */
export const UNDO_MS = 6000;

/** Transient messages in the corner; errors show the API's problem detail word for word. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function push(
    kind: Toast['kind'],
    title: string,
    message = '',
    timeoutMs = kind === 'error' ? 8000 : 4000,
    action?: ToastAction,
  ) {
    const toast: Toast = { id: nextId++, kind, title, message, ...(action ? { action } : {}) };
    toasts.value = [...toasts.value.slice(-4), toast];
    if (timeoutMs > 0) setTimeout(() => dismiss(toast.id), timeoutMs);
    return toast.id;
  }

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  /** Runs a toast's action once and takes the toast away. */
  function act(id: number) {
    const action = toasts.value.find((toast) => toast.id === id)?.action;
    dismiss(id);
    return action?.run();
  }

  /** Reports a failed action: the API's title and detail when it sent problem+json. */
  function error(error: unknown, title?: string) {
    const heading =
      title ?? (error instanceof ApiError && error.status ? error.title : 'Something went wrong');
    return push('error', heading, messageOf(error));
  }

  return {
    toasts,
    push,
    dismiss,
    error,
    act,
    success: (title: string, message = '') => push('success', title, message),
    /** A done deed with an Undo button for `UNDO_MS`. */
    undoable: (title: string, message: string, undo: () => unknown) =>
      push('success', title, message, UNDO_MS, { label: 'Undo', run: undo }),
  };
});
