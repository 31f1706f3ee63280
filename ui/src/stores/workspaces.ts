import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../services/index.js';
import type { Label, Member, Role, Workspace } from '../services/types.js';

const LAST_KEY = 'taskstack.workspace';
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** The caller's workspaces, the one they are in, and its members and labels (for pickers and avatars). */
export const useWorkspaceStore = defineStore('workspaces', () => {
  const workspaces = ref<Workspace[]>([]);
  const loaded = ref(false);
  const currentId = ref<string | null>(null);
  const members = ref<Member[]>([]);
  const labels = ref<Label[]>([]);
  /**
   * The workspace's time zone (WorkspaceTimeZone), in which due dates fall on their days everywhere (panel, list,
   * cards, calendar); the browser's until it is known, or if the API cannot say.
   */
  const timeZone = ref(browserZone());

  const current = computed(() => workspaces.value.find((w) => w.id === currentId.value) ?? null);
  const role = computed<Role>(() => current.value?.role ?? 'viewer');
  /** Whether the caller's role reaches `min` in the current workspace. */
  const can = (min: Role) => RANK[role.value] >= RANK[min];
  const memberById = computed(() => new Map(members.value.map((m) => [m.userId, m])));
  const labelById = computed(() => new Map(labels.value.map((l) => [l.id, l])));

  async function load() {
    workspaces.value = await api.workspaces.list();
    loaded.value = true;
    if (!current.value) {
      const last = localStorage.getItem(LAST_KEY);
      currentId.value = workspaces.value.find((w) => w.id === last)?.id ?? workspaces.value[0]?.id ?? null;
    }
  }

  /** Makes `id` the current workspace and loads what its screens need. */
  async function select(id: string) {
    if (!loaded.value) await load();
    if (!workspaces.value.some((w) => w.id === id)) return false;
    if (currentId.value !== id || members.value.length === 0) {
      currentId.value = id;
      localStorage.setItem(LAST_KEY, id);
      await refreshDirectory();
    }
    return true;
  }

  async function refreshDirectory() {
    const id = currentId.value;
    if (!id) return;
    const [m, l, zone] = await Promise.all([
      api.workspaces.members(id),
      api.workspaces.labels(id),
      api.recurrences.timeZone(id).catch(browserZone),
    ]);
    if (currentId.value !== id) return;
    members.value = m;
    labels.value = l;
    timeZone.value = zone;
  }

  async function create(name: string) {
    const workspace = await api.workspaces.create(name);
    workspaces.value = [...workspaces.value, { ...workspace, role: workspace.role ?? 'owner' }];
    return workspace;
  }

  async function createLabel(name: string, color: string) {
    const label = await api.workspaces.createLabel(currentId.value!, name, color);
    labels.value = [...labels.value, label];
    return label;
  }

  function reset() {
    workspaces.value = [];
    loaded.value = false;
    currentId.value = null;
    members.value = [];
    labels.value = [];
    timeZone.value = browserZone();
  }

  return {
    workspaces,
    loaded,
    currentId,
    current,
    role,
    can,
    members,
    labels,
    timeZone,
    memberById,
    labelById,
    load,
    select,
    refreshDirectory,
    create,
    createLabel,
    reset,
  };
});
