// The IAM role SageMaker assumes for a model or job, asked for as every resource is: the roles the
// region's recent models and training jobs run as (the emulator's own role first on the emulator),
// or an ARN typed in.
import { distinctRoles, knownExecutionRoles, roleArnProblem, roleName } from '../pipeline/executionRoles';
import type { Services } from '../services';
import { pickResource } from './pickResource';

/** The role the emulator's examples and defaults run as (the emulator accepts any role). */
export const EMULATOR_ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';

export function pickExecutionRole(services: Pick<Services, 'connection'>, options: { title: string; purpose: string }): Promise<string | undefined> {
  const { connection } = services;
  const onEmulator = connection.settings.mode === 'emulator';
  return pickResource({
    title: `${options.title}: execution role — the IAM role SageMaker assumes ${options.purpose}`,
    placeholder: 'A role of a recent model or training job (or type a role ARN)',
    load: async () => {
      const known = await knownExecutionRoles(await connection.clients.sageMaker());
      const roles = onEmulator ? distinctRoles([{ arn: EMULATOR_ROLE, usedBy: 'the emulator’s default role' }, ...known]) : known;
      return roles.map((role) => ({ label: roleName(role.arn), description: `used by ${role.usedBy}`, detail: role.arn, resource: role.arn }));
    },
    typed: (arn) => arn,
    validate: roleArnProblem,
    nothingListed: `No model or training job in ${connection.settings.region} names a role.`,
  });
}
