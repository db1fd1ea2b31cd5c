#!/usr/bin/env node
// Launcher: registers tsx, then runs the TypeScript CLI, so `npx aifactory …` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
