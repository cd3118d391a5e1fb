// What `commit` checks before a candidate may become the running configuration: the YANG `must`
// constraints of the UM models (ios-xr-cli.md §4) and the guide's FQDN rules for keyrings. Undefined
// references (a keyring or profile that does not exist) are accepted, as IOS XR does: the SA simply
// does not come up (project decision, ios-xr-cli.md §4).
import type { RouterConfig } from './model.js';
import { configBlocks, type Block } from './render.js';

/** One rejected item: the configuration lines leading to it, the line itself, and the reason. */
export interface CommitError { context: string[]; line: string; message: string }

function findLine(c: RouterConfig, context: string[], prefix: string): string {
  let blocks: Block[] = configBlocks(c);
  for (const header of context) blocks = blocks.find((b) => b.line === header)?.children ?? [];
  return blocks.find((b) => b.line.startsWith(prefix))?.line ?? prefix;
}

export function validate(c: RouterConfig): CommitError[] {
  const errors: CommitError[] = [];
  const err = (context: string[], prefix: string, message: string) =>
    errors.push({ context, line: findLine(c, context, prefix), message });

  for (const [kn, k] of Object.entries(c.keyrings)) {
    const fqdns = new Map<string, string>(), domains = new Map<string, string>();
    for (const [pn, p] of Object.entries(k.peers).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      const ctx = [`keyring ${kn}`, `peer ${pn}`];
      if (p.pskPassword && (p.pskLocal || p.pskRemote)) {
        err(ctx, p.pskLocal ? 'pre-shared-key local' : 'pre-shared-key remote',
          "'pre-shared-key local/remote' and 'pre-shared-key password' cannot be configured together");
      }
      if (p.pskRemote && !p.pskLocal) err(ctx, 'pre-shared-key remote', "'pre-shared-key remote' requires 'pre-shared-key local'");
      if (p.ppkManual && p.ppkDynamic) err(ctx, 'ppk dynamic', "'ppk dynamic' and 'ppk manual' are mutually exclusive");
      const id = p.identity;
      if (id && 'fqdn' in id) {
        const key = id.fqdn.toLowerCase();
        if (fqdns.has(key)) err(ctx, 'identity fqdn', `FQDN identity '${id.fqdn}' is already configured for peer ${fqdns.get(key)} of this keyring`);
        else fqdns.set(key, pn);
      }
      if (id && 'fqdnDomain' in id) {
        const key = id.fqdnDomain.toLowerCase();
        if (domains.has(key)) err(ctx, 'identity fqdn domain', `FQDN domain identity '${id.fqdnDomain}' is already configured for peer ${domains.get(key)} of this keyring`);
        else domains.set(key, pn);
      }
    }
  }

  for (const [n, p] of Object.entries(c.ikev2Profiles)) {
    const ctx = [`ikev2 profile ${n}`];
    if (p.matchRemoteAny && (p.matchRemoteAddress.length || p.matchRemoteFqdn.length || p.matchRemoteFqdnDomain.length)) {
      err(ctx, 'match identity remote any', "'match identity remote any' cannot be combined with other remote identities");
    }
    if ((p.authLocal?.length ?? 0) > 1) {
      err(ctx, 'authentication local rsa-signature', "only one local authentication method can be configured ('pre-shared' or 'rsa-signature')");
    }
  }

  for (const [n, t] of Object.entries(c.transformSets)) {
    if (t.encryption?.startsWith('esp-gcm') && t.auth) {
      err([`ipsec transform-set ${n}`], 'transform', 'AES-GCM provides integrity itself: an ESP HMAC transform cannot be combined with it');
    }
    if (!t.encryption && t.auth) {
      err([`ipsec transform-set ${n}`], 'transform', 'an encryption transform is required (esp-aes, esp-192-aes, esp-256-aes, esp-gcm-128, esp-gcm-256)');
    }
  }
  return errors;
}
