# workerd configuration for the SKIP key-server pair (dist/edge/kme-edge.mjs). Serve with
#   npx workerd serve dist/edge/kme-workerd.capnp --socket-addr http=127.0.0.1:8788
# then e.g. GET http://127.0.0.1:8788/a/capabilities (Key Provider A) or /b/… (B); docs/skip.md.
# workerd serves plain HTTP here: put TLS (a PSK-capable proxy, or Cloudflare's edge) in front of it.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "kme", worker = .kmeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "kme") ],
);

const kmeWorker :Workerd.Worker = (
  modules = [ (name = "kme-edge.mjs", esModule = embed "kme-edge.mjs") ],
  bindings = [
    (name = "KME_A_ID", text = "KP_A"),
    (name = "KME_B_ID", text = "KP_B"),
    # comma-separated remoteSystemID globs each end advertises (default: the other end's ID)
    (name = "KME_A_REMOTES", text = "KP_B"),
    (name = "KME_B_REMOTES", text = "KP_A"),
    (name = "KME_ENTROPY", text = "on"),
    # "off" refuses POST /link (the simulated QKD link's cut/delay/budget controls)
    (name = "KME_LINK_CONTROL", text = "on"),
  ],
  compatibilityDate = "2026-11-01",
);
