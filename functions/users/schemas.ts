import * as z from 'zod/mini';

/** Usernames are 3–30 of A–Z a–z 0–9 _ . (the users CHECK); anything else cannot exist. */
export const UsernameParams = z.object({
  username: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_.]{3,30}$/, 'Not a valid username'))
    .register(z.globalRegistry, { examples: ['trickster'] }),
});
