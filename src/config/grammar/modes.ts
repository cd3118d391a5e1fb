// The IOS XR modes webswan emulates, their prompts (ios-xr-cli.md §1 and project decision 2: the seed's
// strings where it shows them, `config-<feature>-<NAME>` otherwise), and the commands of each.
import { ikev2GlobalCommands, policyCommands, profileCommands, proposalCommands } from './ikev2.js';
import { interfaceCommands, interfaceGlobalCommands } from './interface.js';
import { ipsecGlobalCommands, ipsecProfileCommands, transformSetCommands } from './ipsec.js';
import { keyringCommands, keyringGlobalCommands, peerCommands } from './keyring.js';
import { pkiGlobalCommands, trustpointCommands } from './pki.js';
import { execCommands, sessionCommands } from './session.js';
import { sksCommands, systemCommands } from './system.js';
import type { ModeSpec } from './types.js';

const withSession = (m: Omit<ModeSpec, 'commands'> & { commands: ModeSpec['commands'] }): ModeSpec => ({
  ...m, commands: [...m.commands, ...sessionCommands],
});

export const MODES: ModeSpec[] = [
  { id: 'exec', prompt: () => '', helpPath: '', commands: execCommands },
  withSession({
    id: 'config', parent: 'exec', prompt: () => 'config', helpPath: '',
    commands: [...systemCommands, ...pkiGlobalCommands, ...keyringGlobalCommands, ...ikev2GlobalCommands, ...ipsecGlobalCommands, ...interfaceGlobalCommands],
  }),
  withSession({ id: 'ikev2-proposal', parent: 'config', prompt: (at) => `config-ikev2-proposal-${at.proposal}`, helpPath: 'ikev2 proposal WORD', commands: proposalCommands }),
  withSession({ id: 'ikev2-policy', parent: 'config', prompt: (at) => `config-ikev2-policy-${at.policy}`, helpPath: 'ikev2 policy WORD', commands: policyCommands }),
  withSession({ id: 'ikev2-profile', parent: 'config', prompt: (at) => `config-ikev2-profile-${at.profile}`, helpPath: 'ikev2 profile WORD', commands: profileCommands }),
  withSession({ id: 'keyring', parent: 'config', prompt: () => 'config-ikev2-keyring', helpPath: 'keyring WORD', commands: keyringCommands }),
  withSession({ id: 'keyring-peer', parent: 'keyring', prompt: () => 'config-ikev2-keyring-peer', helpPath: 'keyring WORD peer WORD', commands: peerCommands }),
  withSession({ id: 'ipsec-ts', parent: 'config', prompt: (at) => `config-ipsec-ts-${at.ts}`, helpPath: 'ipsec transform-set WORD', commands: transformSetCommands }),
  withSession({ id: 'ipsec-profile', parent: 'config', prompt: (at) => `config-ipsec-profile-${at.ipsecProfile}`, helpPath: 'ipsec profile WORD', commands: ipsecProfileCommands }),
  withSession({ id: 'interface', parent: 'config', prompt: () => 'config-if', helpPath: 'interface WORD', commands: interfaceCommands }),
  // IOS XR's prompt in this submode is (config-trustp)
  withSession({ id: 'crypto-ca-trustpoint', parent: 'config', prompt: () => 'config-trustp', helpPath: 'crypto ca trustpoint WORD', commands: trustpointCommands }),
  withSession({ id: 'sks-profile', parent: 'config', prompt: () => 'config-sks-profile', helpPath: 'sks profile WORD type remote', commands: sksCommands }),
];
