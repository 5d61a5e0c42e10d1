// `kassa/wasm` is the compiled core. Bundlers for Workers import it as a module.
declare const wasm: WebAssembly.Module;
export default wasm;
