import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findSafetySettings } from '../../shared/users/repository.ts';
import type { Routes } from '../routes.ts';

export const getSafetySettings: RouteHandler<Routes['getSafetySettings']> = ({ user }) =>
  findSafetySettings(getDb(), user.id);
