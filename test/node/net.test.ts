// node:test entry: the management host (src/net) — IPv4, ICMP, UDP, syslog and ping.
import { installNodeEnv } from './env-node.js';
import { netSuite } from '../suites/net.js';

installNodeEnv();
netSuite();
