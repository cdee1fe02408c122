#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so `npx lgsp` never runs a stale build.
import { register } from 'tsx/esm/api';

register();
await import('../app/cli/main.ts');
