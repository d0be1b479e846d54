import { App } from 'aws-cdk-lib';
import { addNagChecks } from './nag.ts';
import { createLokizStack } from './stack.ts';

// Environment-agnostic on purpose (no `env`): synth needs no credentials and no lookups.
const app = new App();
createLokizStack(app);
// Unacknowledged cdk-nag findings fail the synth (and so every deploy).
addNagChecks(app);
