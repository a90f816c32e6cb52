// After each test file on PostgreSQL: http-terminator (src/common/http/graceful-http-shutdown.ts) logs through
// roarr, which on load adds an 'error' listener to process.stdout and keeps how to remove it in globalThis.ROARR.
// Jest gives each test file a new global but the same process.stdout, so each file left one listener behind
// (a MaxListenersExceededWarning once a worker had run ten of them). The app loads it once and keeps it.
import { afterAll } from '@jest/globals';

afterAll(() => globalThis.ROARR?.teardown?.());
