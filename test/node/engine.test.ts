// node:test entry: the IKEv2 engine between two in-process routers.
import { installNodeEnv } from './env-node.js';
import { engineSuite } from '../suites/engine.js';

installNodeEnv();
engineSuite();
