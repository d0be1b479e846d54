import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routeDocs } from '../../functions/docs.ts';
import { routes } from '../../functions/routes.ts';
import { OPENAPI_DOCUMENT_FILE } from '../../functions/system/openapi.ts';
import { buildOpenApiDocument } from '../http/openapi.ts';

/** functions/system/openapi.json as the route table makes it now. */
export function currentOpenApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(routes, routeDocs), null, 2)}\n`;
}

/** Rewrites functions/system/openapi.json when the route table changed it; true when it did. */
export function writeOpenApiDocument(): boolean {
  const text = currentOpenApiText();
  let old: string | undefined;
  try {
    old = readFileSync(OPENAPI_DOCUMENT_FILE, 'utf8');
  } catch {
    // first write
  }
  if (old === text) return false;
  writeFileSync(OPENAPI_DOCUMENT_FILE, text);
  return true;
}

// `npm run openapi`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(OPENAPI_DOCUMENT_FILE);
  console.log(writeOpenApiDocument() ? `wrote ${path}` : `${path} is up to date`);
}
