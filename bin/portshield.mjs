#!/usr/bin/env node
// Runs the TypeScript CLI in this very process (tsx's loader registered first), so signals such
// as SIGTERM from a supervisor reach the node directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
