import { routes } from '../functions/routes.ts';
import { buildOpenApiDocument } from '../shared/http/openapi.ts';

const doc = buildOpenApiDocument(routes) as any;
const missing: string[] = [];
for (const [p, ops] of Object.entries<any>(doc.paths))
  for (const [m, op] of Object.entries<any>(ops)) {
    const b = op.requestBody?.content?.['application/json'];
    if (b && b.example === undefined) missing.push(`${m.toUpperCase()} ${p} request`);
    for (const [st, r] of Object.entries<any>(op.responses))
      if (st < '400' && r.content && r.content['application/json'].example === undefined)
        missing.push(`${m.toUpperCase()} ${p} ${st}`);
  }
console.log(missing.length, missing.join('\n'));
console.log(JSON.stringify(doc.components.schemas.Video).slice(0, 600));
