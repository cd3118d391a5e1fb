// The shape of the IOS XR command grammar: modes, and the commands each mode accepts, written as
// syntax strings close to Cisco's command reference (see syntax.ts for the notation).
import type { RouterConfig } from '../model.js';
import type { ValueType } from '../values.js';

export type ModeId =
  | 'exec' | 'config'
  | 'ikev2-proposal' | 'ikev2-policy' | 'ikev2-profile' | 'keyring' | 'keyring-peer'
  | 'ipsec-ts' | 'ipsec-profile' | 'interface' | 'sks-profile' | 'crypto-ca-trustpoint';

/** Where a submode points: the names of the objects being edited (e.g. { keyring: 'K', peer: 'P' }). */
export type ModeCtx = Readonly<Record<string, string>>;

/** Values captured by a command: value placeholders by name, named keyword groups by name (arrays when repeated). */
export type Args = Record<string, any>;

export interface ExecCtx {
  cfg: RouterConfig;
  at: ModeCtx;
}

export type CommandKind = 'config' | 'session' | 'exec';

export interface CommandSpec {
  /** Syntax, e.g. 'lifetime <sec>' or 'encryption {aes-cbc-128|aes-cbc-256}:alg...5'. */
  syntax: string;
  args?: Record<string, ValueType>;
  /** `@name` fragments used in syntax. */
  frags?: Record<string, string>;
  kind?: CommandKind;
  /** Submode this command enters (with nothing after it) or continues into (flat one-line form). */
  enter?: ModeId;
  /** For `enter` commands: the context of the submode (and, for config commands, create the object). */
  select?(a: Args, at: ModeCtx): ModeCtx;
  /** Apply the command to the candidate configuration. */
  run?(c: ExecCtx, a: Args): void;
  /** Syntax of the `no` form; default: the keywords before the first value, then optionally the rest. */
  no?: string | false;
  unset?(c: ExecCtx, a: Args): void;
  /** Whether the command exists in this context (e.g. `tunnel …` only on tunnel-ip interfaces). */
  when?(at: ModeCtx): boolean;
  /** Help texts for this command's words, by their position path (e.g. 'lifetime', 'lifetime <120-86400>'). */
  help?: Record<string, string>;
  /** Opaque tag the console uses for session and exec commands. */
  tag?: string;
}

export interface ModeSpec {
  id: ModeId;
  parent?: ModeId;
  /** Prompt suffix inside the parentheses, e.g. 'config-ikev2-keyring'. */
  prompt(at: ModeCtx): string;
  /** CLI path of this mode, for help lookup, e.g. 'ikev2 proposal WORD'. */
  helpPath: string;
  commands: CommandSpec[];
}
