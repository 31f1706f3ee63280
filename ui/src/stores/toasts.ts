import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, messageOf } from '../services/errors.js';

export type Toast = { id: number; kind: 'error' | 'success' | 'info'; title: string; message: string };

/** Transient messages in the corner; errors show the API's problem detail word for word. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function push(
    kind: Toast['kind'],
    title: string,
    message = '',
    timeoutMs = kind === 'error' ? 8000 : 4000,
  ) {
    const toast = { id: nextId++, kind, title, message };
    toasts.value = [...toasts.value.slice(-4), toast];
    if (timeoutMs > 0) setTimeout(() => dismiss(toast.id), timeoutMs);
    return toast.id;
  }

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
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
    success: (title: string, message = '') => push('success', title, message),
  };
});
