import { routes } from '../functions/routes.ts';
import { buildOpenApiDocument } from '../shared/http/openapi.ts';
const doc = buildOpenApiDocument(routes) as any;
console.log(JSON.stringify(doc.paths['/v1/auth/register'].post.requestBody));
