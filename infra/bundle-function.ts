import { DOMAINS } from '../shared/http/route.ts';
import { bundleFunction } from './bundling.ts';
import { type FunctionName, WORKERS } from './function-sizing.ts';

/**
 * `node --import tsx infra/bundle-function.ts <function> <outputDir>`: what `cdk deploy` runs for
 * each function's asset (infra/functions.ts). A process of its own because CDK's local bundling
 * is synchronous and esbuild's plugins need its asynchronous API.
 */
const [name, outputDir] = process.argv.slice(2);
if (!name || !outputDir || ![...DOMAINS, ...WORKERS].includes(name as FunctionName)) {
  console.error('usage: infra/bundle-function.ts <function> <outputDir>');
  process.exit(2);
}
await bundleFunction(name as FunctionName, outputDir);
