// node:test entry: rekey races and failure paths of the engine.
import { installNodeEnv } from './env-node.js';
import { engineRacesSuite } from '../suites/engine-races.js';

installNodeEnv();
engineRacesSuite();
