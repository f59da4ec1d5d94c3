// What views, panels, documents and commands are built on, apart from the workbench that holds them
// (workbench.ts): importing this instead keeps the views free of an import cycle through the workbench.
import type { Connection } from './connection/connection';
import type { Failures } from './failures/failures';
import type { Poller } from './polling/poller';

/** What views, panels, documents and commands are built on: where calls go, one poller, one failure language. */
export interface Services {
  readonly connection: Connection;
  readonly poller: Poller;
  readonly failures: Failures;
}
