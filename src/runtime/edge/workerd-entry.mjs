// workerd entry: workerd.capnp declares webswan-core.wasm as a `wasm` module, so this import is an
// already-compiled WebAssembly.Module.
import coreModule from './webswan-core.wasm';
import { selftestHandler } from './webswan-edge.mjs';

export default selftestHandler(coreModule);
