// The test API shared by mocha (web-test-runner, in Chromium) and node:test (in Node): the Node entry
// files install node:test's functions as these globals before importing the suites.
declare function describe(name: string, fn: () => void): void;
declare function it(name: string, fn: () => void | Promise<void>): void;
declare function before(fn: () => void | Promise<void>): void;
declare function after(fn: () => void | Promise<void>): void;
