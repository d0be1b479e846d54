import { followVerificationLink } from '../../shared/accounts/verification.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const verifyEmail: RouteHandler<Routes['verifyEmail']> = ({ body }) =>
  followVerificationLink(getDb(), body.token);
