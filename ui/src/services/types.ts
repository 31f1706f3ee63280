// The API's resource shapes (api-contract.md; checked against GET /api/v1/openapi.json by the e2e suite).

export const TASK_STATUSES = ['backlog', 'todo', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type User = {
  id: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  emailVerified?: boolean;
  createdAt?: string;
};
export type Session = { user: User; accessToken: string };

export type Workspace = { id: string; name: string; role: Role };
export type Member = { userId: string; name: string; email: string; role: Role };
export type Invitation = { id: string; email: string; role: Role; expiresAt: string };
export type InvitationPreview = { workspaceName: string; email: string; role: Role; expiresAt: string };

export type Project = {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  archived: boolean;
  taskCounts: Record<TaskStatus, number>;
};
export type Label = { id: string; workspaceId: string; name: string; color: string };

export type Task = {
  id: string;
  projectId: string;
  number: number;
  title: string;
  description: string;
  status: TaskStatus;
  position: string;
  priority: TaskPriority;
  dueAt: string | null;
  assigneeId: string | null;
  labelIds: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
};
export type TaskInput = Partial<
  Pick<Task, 'title' | 'description' | 'status' | 'priority' | 'dueAt' | 'assigneeId' | 'labelIds'>
>;
export type TaskSort = 'position' | 'dueAt' | 'createdAt' | 'priority';
export type TaskQuery = {
  status?: TaskStatus;
  assigneeId?: string;
  labelId?: string;
  q?: string;
  dueBefore?: string;
  sort?: TaskSort;
  limit?: number;
  cursor?: string;
};

export type Comment = {
  id: string;
  taskId: string;
  authorId: string | null;
  body: string;
  createdAt: string;
  updatedAt?: string;
};
export type Attachment = {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  createdAt?: string;
};
export type Activity = {
  id: string;
  actorId: string | null;
  verb: string;
  subject: { type: string; id: string };
  data: Record<string, unknown>;
  createdAt: string;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Backup = {
  id: string;
  file: string;
  size: number | null;
  sha256: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  verifiedAt: string | null;
  location: string;
};
export type QueueCounts = Record<
  string,
  { waiting: number; active: number; delayed: number; failed: number; completed: number }
>;
