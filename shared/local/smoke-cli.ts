import { parseArgs } from 'node:util';
import { runSmoke } from './smoke.ts';

/** `npm run smoke -- --url <ApiUrl> [--execute-api-url <ExecuteApiUrl>]`: exits 1 if any step failed. */
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'execute-api-url': { type: 'string' },
    'ready-timeout': { type: 'string' },
  },
});
if (!values.url) {
  console.error(
    'usage: npm run smoke -- --url <ApiUrl> [--execute-api-url <ExecuteApiUrl>] [--ready-timeout <s>]',
  );
  process.exit(2);
}
const steps = await runSmoke({
  url: values.url,
  executeApiUrl: values['execute-api-url'],
  readyTimeoutMs: values['ready-timeout'] ? Number(values['ready-timeout']) * 1000 : undefined,
});
process.exit(steps.every((s) => s.ok) ? 0 : 1);
