import express, { Router } from 'express';
import { join, resolve } from 'node:path';

/**
 * Serves the built web app for `npm start` and the UI end-to-end tests (production uses nginx for this):
 * hashed assets cached forever, `/config.json` telling the app where the API is, `index.html` for client routes.
 */
export function spaFallback(dir: string): Router {
  const root = resolve(dir);
  const router = Router();
  router.get('/config.json', (_req, res) => {
    res.json({ apiBaseUrl: '/api/v1' });
  });
  router.use('/assets', express.static(join(root, 'assets'), { immutable: true, maxAge: '1y' }));
  router.use(express.static(root, { index: false }));
  router.get(/^\/(?!api\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(join(root, 'index.html'));
  });
  return router;
}
