// The one prompt for the name of something about to be created: it refuses a taken name as it is
// typed — before any other prompt or any work — and suggests a free one (`<name>-2`), and proposes
// a free name to begin with. Whether a name is taken is asked of the service (`holder`), once per
// name typed.
import * as vscode from 'vscode';
import { attachResource, describeResource, type ResourceRef } from '../failures/resources';
import { freeName, nameProblem } from '../pipeline/names';

export interface NewName {
  title: string;
  prompt: string;
  /** The name proposed; replaced by a free one if it is taken. */
  value: string;
  /** The resource already called `name`, if there is one. */
  holder: (name: string) => Promise<ResourceRef | undefined>;
  /** Where names must be free, for messages: "us-east-1". */
  region: string;
  /** Why a name is malformed, if it is (default: SageMaker's name rule). */
  validate?: (name: string) => string | undefined;
}

/** The name typed and accepted, free when it was accepted; undefined if the prompt was dismissed. */
export async function askNewName(options: NewName): Promise<string | undefined> {
  const holders = new Map<string, Promise<ResourceRef | undefined>>();
  const holder = (name: string) => {
    let known = holders.get(name);
    if (!known) {
      // A name that cannot be checked (the service did not answer) is let through: creating it says why.
      known = options.holder(name).catch(() => undefined);
      holders.set(name, known);
    }
    return known;
  };
  const isTaken = async (name: string) => (await holder(name)) !== undefined;
  const validate = options.validate ?? nameProblem;
  const value = validate(options.value) ? options.value : await freeName(options.value, isTaken);
  return vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    value,
    validateInput: async (name) => {
      const problem = validate(name);
      if (problem) return problem;
      const taken = await holder(name);
      return taken ? takenMessage(taken, options.region, await freeName(name, isTaken)) : undefined;
    },
  });
}

/** Refuses a name given without the prompt (a command's argument) if it is taken. */
export async function assertNameFree(name: string, holder: NewName['holder'], region: string): Promise<void> {
  const taken = await holder(name);
  if (taken) {
    const isTaken = async (candidate: string) => (await holder(candidate).catch(() => undefined)) !== undefined;
    const free = await freeName(name, isTaken);
    // Classified as every taken name is: "Endpoint foo already exists in us-east-1".
    throw attachResource(Object.assign(new Error(`The name is taken; try ${free}.`), { name: 'ResourceInUse' }), taken);
  }
}

function takenMessage(taken: ResourceRef, region: string, free: string): string {
  return `${describeResource(taken)} already exists in ${region}: try ${free}`;
}
