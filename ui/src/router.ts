import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { useAuthStore } from './stores/auth.js';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable signed out (sign-in, sign-up, password reset, invitation preview). */
    public?: boolean;
    /** Only for signed-out visitors; signed-in ones go home. */
    guestOnly?: boolean;
    /** Instance admins only. */
    admin?: boolean;
    title?: string;
  }
}

/** Named, lazily loaded routes: each screen's code is fetched the first time it is opened. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/signin',
    name: 'signin',
    component: () => import('./views/SignInView.vue'),
    meta: { public: true, guestOnly: true, title: 'Sign in' },
  },
  {
    path: '/signup',
    name: 'signup',
    component: () => import('./views/SignUpView.vue'),
    meta: { public: true, guestOnly: true, title: 'Create account' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('./views/ForgotPasswordView.vue'),
    meta: { public: true, guestOnly: true, title: 'Forgot password' },
  },
  {
    path: '/reset-password',
    name: 'reset-password',
    component: () => import('./views/ResetPasswordView.vue'),
    meta: { public: true, title: 'Choose a new password' },
  },
  {
    path: '/verify-email',
    name: 'verify-email',
    component: () => import('./views/VerifyEmailView.vue'),
    meta: { public: true, title: 'Confirm your email address' },
  },
  {
    path: '/invitations/:token',
    name: 'invitation',
    component: () => import('./views/InvitationView.vue'),
    meta: { public: true, title: 'Invitation' },
  },
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'taskstack' } },
  {
    path: '/w/:workspaceId',
    name: 'projects',
    component: () => import('./views/ProjectsView.vue'),
    meta: { title: 'Projects' },
  },
  {
    path: '/w/:workspaceId/members',
    name: 'members',
    component: () => import('./views/MembersView.vue'),
    meta: { title: 'Members' },
  },
  {
    path: '/w/:workspaceId/import-export',
    name: 'import-export',
    component: () => import('./views/ImportExportView.vue'),
    meta: { title: 'Import & export' },
  },
  {
    path: '/w/:workspaceId/webhooks',
    name: 'webhooks',
    component: () => import('./views/WebhooksView.vue'),
    meta: { title: 'Webhooks' },
  },
  {
    path: '/w/:workspaceId/inbox',
    name: 'inbox',
    component: () => import('./views/InboxView.vue'),
    meta: { title: 'Inbox' },
  },
  {
    path: '/w/:workspaceId/my-tasks',
    name: 'my-tasks',
    component: () => import('./views/MyTasksView.vue'),
    meta: { title: 'My tasks' },
  },
  {
    path: '/w/:workspaceId/trash',
    name: 'trash',
    component: () => import('./views/TrashView.vue'),
    meta: { title: 'Trash' },
  },
  {
    path: '/w/:workspaceId/projects/:projectId',
    name: 'board',
    component: () => import('./views/BoardView.vue'),
    meta: { title: 'Board' },
  },
  {
    path: '/w/:workspaceId/projects/:projectId/list',
    name: 'list',
    component: () => import('./views/ListView.vue'),
    meta: { title: 'List' },
  },
  {
    path: '/w/:workspaceId/projects/:projectId/calendar',
    name: 'calendar',
    component: () => import('./views/CalendarView.vue'),
    meta: { title: 'Calendar' },
  },
  {
    path: '/tasks/:taskId',
    name: 'task',
    component: () => import('./views/TaskLinkView.vue'),
    meta: { title: 'Task' },
  },
  {
    path: '/account/sessions',
    name: 'sessions',
    component: () => import('./views/SessionsView.vue'),
    meta: { title: 'Sessions and tokens' },
  },
  {
    path: '/account/security',
    name: 'security',
    component: () => import('./views/SecurityView.vue'),
    meta: { title: 'Account security' },
  },
  {
    path: '/admin',
    name: 'admin',
    component: () => import('./views/AdminView.vue'),
    meta: { admin: true, title: 'Administration' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { public: true, title: 'Not found' },
  },
];

/** The app's router: waits for the silent refresh before deciding whether a route needs sign-in. */
export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    if (auth.status === 'unknown') await auth.resume();
    if (!to.meta.public && !auth.signedIn) {
      return { name: 'signin', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.meta.guestOnly && auth.signedIn) return { name: 'home' };
    if (to.meta.admin && !auth.isAdmin) return { name: 'home' };
    return true;
  });
  router.afterEach((to) => {
    document.title =
      to.meta.title && to.meta.title !== 'taskstack' ? `${to.meta.title} · taskstack` : 'taskstack';
  });
  return router;
}
