import { api } from '../services/index.js';
import type { TrashKind } from '../services/types.js';
import { useToastStore } from '../stores/toasts.js';

/**
 * After a delete (which only moves the item to the trash): a toast whose Undo restores it, then `restored` puts
 * it back on screen at once (the event stream would too, but not while it reconnects).
 */
export function useTrashUndo() {
  const toasts = useToastStore();
  return (kind: TrashKind, id: string, title: string, name: string, restored?: () => unknown) =>
    toasts.undoable(title, name, async () => {
      try {
        await api.trash.restore(kind, id);
        await restored?.();
        toasts.success('Restored', name);
      } catch (error) {
        toasts.error(error, 'Could not undo');
      }
    });
}
