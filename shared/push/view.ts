import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';

export const PushDevice = z
  .object({
    /** Keep it: unregistering (DELETE /v1/notifications/devices/{id}) takes this id. */
    id: z.string(),
    platform: z.enum(['ios', 'android']),
    created_at: Timestamp,
  })
  .register(z.globalRegistry, {
    id: 'PushDevice',
    examples: [{ id: EX.deviceId, platform: 'ios', created_at: EX.time }],
  });

export const PushPreferences = z
  .object({
    likes: z.boolean(),
    comments: z.boolean(),
    follows: z.boolean(),
    /** Someone glitched one of your videos. */
    glitches: z.boolean(),
    /** Your AI job's result is ready, or it failed (and was refunded). */
    ai_jobs: z.boolean(),
  })
  .register(z.globalRegistry, {
    id: 'PushPreferences',
    examples: [{ likes: false, comments: true, follows: true, glitches: true, ai_jobs: true }],
  });
