// The /_emulator/faults control (controls.ts serves it, signed in verify mode):
//   GET    /_emulator/faults        {"faults": [{"id", "type", …definition, "addedAt", "done"}]}
//   POST   /_emulator/faults        a definition (definitions.ts) → the fault as listed; 400 if it is
//                                  not one, 409 if a runtime fault cannot act now
//   DELETE /_emulator/faults        removes every fault → {"removed": [ids]}
//   DELETE /_emulator/faults/<id>   removes one → {"removed": [id]}; 404 if there is none
// Refusals are in the JSON services' error shape, `{"__type", "message"}`.
import { InvalidFault, parseFault } from './definitions';
import { FaultNotApplicable, type Faults } from './faults';

export const FAULTS_PATH = '/_emulator/faults';

export interface ControlAnswer {
  status: number;
  body: object;
}

/** The answer to a request under /_emulator/faults, or undefined if no such control exists. */
export function faultControl(faults: Faults, method: string | undefined, path: string, body: () => Promise<unknown>): Promise<ControlAnswer> | undefined {
  if (path === FAULTS_PATH) {
    if (method === 'GET') return Promise.resolve({ status: 200, body: { faults: faults.list() } });
    if (method === 'DELETE') return Promise.resolve({ status: 200, body: { removed: faults.clear() } });
    if (method === 'POST') return body().then((json) => add(faults, json));
    return undefined;
  }
  const id = path.startsWith(`${FAULTS_PATH}/`) ? decodeURIComponent(path.slice(FAULTS_PATH.length + 1)) : undefined;
  if (id === undefined || method !== 'DELETE') return undefined;
  return Promise.resolve(
    faults.remove(id)
      ? { status: 200, body: { removed: [id] } }
      : { status: 404, body: { __type: 'ResourceNotFoundException', message: `There is no fault ${id}; GET ${FAULTS_PATH} lists them.` } },
  );
}

function add(faults: Faults, json: unknown): ControlAnswer {
  try {
    const added = faults.add(parseFault(json));
    // The spot fault answered {"interrupted": arn} before faults were listed; it still does.
    const interrupted = 'interrupted' in added.done ? { interrupted: added.done.trainingJobArn } : {};
    return { status: 200, body: { ...added, ...interrupted } };
  } catch (error) {
    if (error instanceof InvalidFault) return { status: 400, body: { __type: 'ValidationException', message: error.message } };
    if (error instanceof FaultNotApplicable) return { status: 409, body: { __type: 'ConflictException', message: error.message } };
    throw error;
  }
}
