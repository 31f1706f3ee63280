import type { RequestHandler } from 'express';
import { verifyAccessToken } from '../auth/access-token.js';
import { unauthorized } from '../errors.js';

/** Requires `Authorization: Bearer <access token>`; sets `req.user` or answers 401. */
export function authenticate(secret: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    verifyAccessToken(match[1]!, secret).then((userId) => {
      if (!userId) return next(unauthorized('Your session has expired. Sign in again.'));
      req.user = { id: userId };
      next();
    }, next);
  };
}

/** The signed-in user of a route behind `authenticate`. */
export function currentUser(req: Parameters<RequestHandler>[0]): { id: string } {
  if (!req.user) throw unauthorized();
  return req.user;
}
