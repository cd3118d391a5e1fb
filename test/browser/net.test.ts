// Chromium: the management host (src/net) — IPv4, ICMP, UDP, syslog and ping, on the browser's engine.
import { installBrowserEnv } from './env-browser.js';
import { netSuite } from '../suites/net.js';

installBrowserEnv();
netSuite();
