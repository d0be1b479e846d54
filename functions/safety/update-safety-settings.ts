import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { writeSafetySettings } from '../../shared/users/repository.ts';
import type { Routes } from '../routes.ts';

export const updateSafetySettings: RouteHandler<Routes['updateSafetySettings']> = ({ body, user }) =>
  writeSafetySettings(getDb(), user.id, body);
