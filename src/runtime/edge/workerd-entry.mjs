// workerd entry: workerd.capnp declares both builds of the core as `wasm` modules, so these imports are
// already-compiled WebAssembly.Modules (workerd forbids compiling WebAssembly at run time).
import simd from './webswan-core.wasm';
import relaxed from './webswan-core-rsimd.wasm';
import { selftestHandler } from './webswan-edge.mjs';

export default selftestHandler({ simd, relaxed });
