// node:test entry: both ends initiating, duplicate IKE SAs and the scenarios around them.
import { installNodeEnv } from './env-node.js';
import { engineDuplicatesSuite } from '../suites/engine-duplicates.js';

installNodeEnv();
engineDuplicatesSuite();
