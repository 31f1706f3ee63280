import { ref } from 'vue';
import { ApiError } from '../services/errors.js';

/** Busy flag and last error for a form's submit, so every form disables itself and shows the API's reason. */
export function useAction() {
  const busy = ref(false);
  const error = ref<ApiError | Error | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = null;
    try {
      return await action();
    } catch (e) {
      error.value = e instanceof Error ? e : new Error(String(e));
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  const fieldError = (path: string) =>
    error.value instanceof ApiError ? error.value.fieldError(path) : undefined;

  return { busy, error, run, fieldError };
}
