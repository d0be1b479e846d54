import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The API's reading pages, served by the local gateway from npm packages (nothing from a CDN, so
 * they work offline): Swagger UI at /docs (try requests, with the Authorize dialog) and ReDoc at
 * /redoc (one long page to read), both over GET /openapi.json.
 */
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

interface DocsPage {
  html: string;
  /** File name → [folder, content type]. */
  assets: Record<string, [dir: () => string, type: string]>;
}

const JS = 'application/javascript; charset=utf-8';
const swagger = () => packageDir('swagger-ui-dist');
const redoc = () => join(packageDir('redoc'), 'bundles');

const PAGES: Record<string, DocsPage> = {
  docs: {
    html: `<!doctype html>
<html><head><meta charset="utf-8"><title>LOKIZ API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`,
    assets: {
      'swagger-ui.css': [swagger, 'text/css; charset=utf-8'],
      'swagger-ui-bundle.js': [swagger, JS],
    },
  },
  redoc: {
    html: `<!doctype html>
<html><head><meta charset="utf-8"><title>LOKIZ API — ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script></body></html>`,
    assets: { 'redoc.standalone.js': [redoc, JS] },
  },
};

const SWAGGER_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true });`;

/** The page (`/docs`, `/redoc`) or asset a GET path names, or undefined when it is not one. */
export function docsPageFor(pathname: string): { page: DocsPage; file: string } | undefined {
  const match = /^\/(docs|redoc)(?:\/(.*))?$/.exec(pathname);
  const page = match && PAGES[match[1]!];
  return page ? { page, file: match[2] ?? '' } : undefined;
}

export async function serveDocsPage(
  target: { page: DocsPage; file: string },
  res: ServerResponse,
): Promise<void> {
  const { page, file } = target;
  if (file === '' || file === 'index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end(page.html);
  }
  if (page === PAGES.docs && file === 'init.js') {
    res.writeHead(200, { 'content-type': JS });
    return void res.end(SWAGGER_INIT);
  }
  const asset = page.assets[file];
  if (!asset) {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ error: { code: 'not_found', message: 'No such file' } }));
  }
  res.writeHead(200, { 'content-type': asset[1], 'cache-control': 'public, max-age=3600' });
  res.end(await readFile(join(asset[0](), file)));
}
