// Cloudflare Workers / workerd entry: Workers forbid compiling wasm from bytes at runtime,
// so the .wasm is imported as a module (wrangler, esbuild and Miniflare give a
// WebAssembly.Module here) and instantiated synchronously.
import wasmModule from '../dist/kassa_bg.wasm';
import { initSync } from '../dist/kassa.js';
import { setup } from './setup.js';

initSync({ module: wasmModule });
setup();

export * from './api.js';
