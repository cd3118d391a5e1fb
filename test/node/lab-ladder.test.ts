// node:test entry: the lab's ladder entries and failure explanations from two in-process routers.
import { installNodeEnv } from './env-node.js';
import { labLadderSuite } from '../suites/lab-ladder.js';

installNodeEnv();
labLadderSuite();
