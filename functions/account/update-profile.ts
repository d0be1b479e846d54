import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { changeProfile } from '../../shared/users/profile.ts';
import type { Routes } from '../routes.ts';

export const updateProfile: RouteHandler<Routes['updateProfile']> = ({ body, user }) =>
  changeProfile(getDb(), user.id, body);
