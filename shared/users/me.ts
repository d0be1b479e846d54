import type { z } from 'zod';
import type { User } from '../db/schema.ts';
import { type Me, toPublicUser } from './public-user.ts';

export function toMe(user: User): z.input<typeof Me> {
  return {
    ...toPublicUser(user),
    email: user.email,
    credits: user.credits,
    created_at: user.created_at.toISOString(),
  };
}
