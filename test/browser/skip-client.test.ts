// Chromium: the SKIP client and dynamic PPK between two routers, key servers in the page (fetch API only).
import { installBrowserEnv } from './env-browser.js';
import { skipClientSuite } from '../suites/skip-client.js';

installBrowserEnv();
skipClientSuite();
