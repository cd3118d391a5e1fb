// node:test entry: IKEv2 certificate authentication between two in-process routers.
import { installNodeEnv } from './env-node.js';
import { engineCertSuite } from '../suites/engine-cert.js';

installNodeEnv();
engineCertSuite();
