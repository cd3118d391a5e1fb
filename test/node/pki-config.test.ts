// node:test entry: trustpoints, certificates and rsa-signature profiles configured through IOS XR commands.
import { installNodeEnv } from './env-node.js';
import { pkiConfigSuite } from '../suites/pki-config.js';

installNodeEnv();
pkiConfigSuite();
