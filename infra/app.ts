import { App } from 'aws-cdk-lib';
import { createLokizStack } from './stack.ts';

// Environment-agnostic on purpose (no `env`): synth needs no credentials and no lookups.
createLokizStack(new App());
