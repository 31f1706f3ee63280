import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Health } from '../services/admin.js';
import { api } from '../services/index.js';
import type { AdminUser, Backup, QueueCounts, Recovery } from '../services/types.js';

/** What an instance admin watches: health, queues, backups, point-in-time recovery, users. */
export const useAdminStore = defineStore('admin', () => {
  const backups = ref<Backup[]>([]);
  const queues = ref<QueueCounts>({});
  const recovery = ref<Recovery | null>(null);
  const users = ref<AdminUser[]>([]);
  const health = ref<Health | null>(null);
  const loaded = ref(false);
  const error = ref<unknown>(null);

  /** Reloads everything; each part fails on its own so one broken panel does not blank the page. */
  async function refresh() {
    const results = await Promise.allSettled([
      api.admin.backups().then((b) => (backups.value = b)),
      api.admin.queues().then((q) => (queues.value = q)),
      api.admin.recovery().then((r) => (recovery.value = r)),
      api.admin.users().then((u) => (users.value = u.items)),
      api.admin.health().then((h) => (health.value = h)),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    error.value = failed ? (failed as PromiseRejectedResult).reason : null;
    loaded.value = true;
  }

  async function backupNow() {
    const job = await api.admin.backupNow();
    await refresh();
    return job;
  }

  async function drillNow() {
    return api.admin.drillNow();
  }

  async function resetTotp(userId: string) {
    await api.admin.resetTotp(userId);
    await refresh();
  }

  return { backups, queues, recovery, users, health, loaded, error, refresh, backupNow, drillNow, resetTotp };
});
