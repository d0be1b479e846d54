import * as z from 'zod';
const Email = z.string().trim().max(254).pipe(z.email()).transform((e) => e.toLowerCase());
const A = z.strictObject({ email: Email }).meta({ examples: [{ email: 'a@b.co' }] });
console.log(JSON.stringify(z.toJSONSchema(A, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })));
const B = z.strictObject({ email: z.string() }).meta({ examples: [{ email: 'a@b.co' }] });
console.log(JSON.stringify(z.toJSONSchema(B, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })));
console.log(JSON.stringify(z.globalRegistry.get(A)));
