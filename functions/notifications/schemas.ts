import * as z from 'zod';

export const UnreadCount = z
  .object({ unread_count: z.number().int() })
  .meta({ id: 'UnreadCount', examples: [{ unread_count: 3 }] });
