// node:test entry: the SKIP client and dynamic PPK between two in-process routers with their key servers.
import { installNodeEnv } from './env-node.js';
import { skipClientSuite } from '../suites/skip-client.js';

installNodeEnv();
skipClientSuite();
