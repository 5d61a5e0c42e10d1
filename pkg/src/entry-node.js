// Node entry: compiles the wasm synchronously so `import` and `require()` both work
// (no top-level await here: Node's require(esm) refuses modules that use it).
import { readFileSync } from 'node:fs';
import { initSync } from '../dist/kassa.js';
import { setup } from './setup.js';

initSync({ module: readFileSync(new URL('../dist/kassa_bg.wasm', import.meta.url)) });
setup();

export * from './api.js';
