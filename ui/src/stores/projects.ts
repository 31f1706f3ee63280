import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { Project } from '../services/types.js';

/** The current workspace's projects. */
export const useProjectStore = defineStore('projects', () => {
  const projects = ref<Project[]>([]);
  const workspaceId = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);

  async function load(id: string) {
    if (workspaceId.value !== id) projects.value = [];
    workspaceId.value = id;
    loading.value = true;
    error.value = null;
    try {
      const list = await api.projects.list(id);
      if (workspaceId.value === id) projects.value = list;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function create(input: { name: string; description?: string }) {
    const project = await api.projects.create(workspaceId.value!, input);
    projects.value = [...projects.value, project];
    return project;
  }

  async function setArchived(id: string, archived: boolean) {
    const updated = await api.projects.update(id, { archived });
    projects.value = projects.value.map((p) => (p.id === id ? { ...p, ...updated } : p));
  }

  /** To the trash (admin+); also drops it from the list a teammate's `project.deleted` event would. */
  async function remove(id: string) {
    await api.projects.remove(id);
    drop(id);
  }

  function drop(id: string) {
    projects.value = projects.value.filter((p) => p.id !== id);
  }

  /** A project back from the trash (`project.restored`) of the workspace listed. */
  function receive(project: Project) {
    if (project.workspaceId !== workspaceId.value) return;
    projects.value = [...projects.value.filter((p) => p.id !== project.id), project];
  }

  return { projects, workspaceId, loading, error, load, create, setArchived, remove, drop, receive };
});
