# workerd configuration for the self-test worker (dist/edge/). Serve with
#   npx workerd serve dist/edge/workerd.capnp --socket-addr http=127.0.0.1:8787
# then GET http://127.0.0.1:8787/selftest
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .selftestWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const selftestWorker :Workerd.Worker = (
  modules = [
    (name = "workerd-entry.mjs", esModule = embed "workerd-entry.mjs"),
    (name = "webswan-edge.mjs", esModule = embed "webswan-edge.mjs"),
    (name = "webswan-core.wasm", wasm = embed "webswan-core.wasm"),
    (name = "webswan-core-rsimd.wasm", wasm = embed "webswan-core-rsimd.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
