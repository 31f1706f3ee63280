import { computed, ref, watch } from 'vue';
import { useRoute } from 'vue-router';
import { useRealtimeStore } from '../stores/realtime.js';
import { useToastStore } from '../stores/toasts.js';
import { useWorkspaceStore } from '../stores/workspaces.js';

/**
 * For screens under /w/:workspaceId: makes that workspace current (members, labels) and listens to its live
 * events. `missing` is true when the caller is not a member (the API answers 404 for those alike).
 */
export function useWorkspaceRoute() {
  const route = useRoute();
  const workspaces = useWorkspaceStore();
  const realtime = useRealtimeStore();
  const toasts = useToastStore();
  const workspaceId = computed(() => String(route.params.workspaceId ?? ''));
  const ready = ref(false);
  const missing = ref(false);

  watch(
    workspaceId,
    async (id) => {
      if (!id) return;
      ready.value = false;
      try {
        missing.value = !(await workspaces.select(id));
        if (!missing.value) realtime.connect(id);
      } catch (error) {
        toasts.error(error, 'Could not open the workspace');
      } finally {
        ready.value = true;
      }
    },
    { immediate: true },
  );

  return { workspaceId, ready, missing };
}
