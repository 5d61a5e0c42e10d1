// Browser (and default) entry: fetches and instantiates the wasm next to this file.
// Bundlers that understand `new URL(..., import.meta.url)` copy the .wasm automatically.
import init from '../dist/kassa.js';
import { setup } from './setup.js';

await init({ module_or_path: new URL('../dist/kassa_bg.wasm', import.meta.url) });
setup();

export * from './api.js';
