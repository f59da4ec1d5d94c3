// The registered model version to act on, from the palette: a model group (the region's groups, or
// a name typed in), then one of its versions, newest first, with their approval.
import type { ModelApprovalStatus } from '@aws-sdk/client-sagemaker';
import { relativeTime } from '../format';
import { nameProblem } from '../pipeline/names';
import { listModelGroups, listModelVersions, versionLabel, type ModelVersionSummary } from '../pipeline/registry';
import type { Services } from '../services';
import { pickResource } from './pickResource';

/** An existing group; with `allowNew`, a name typed in that is not listed is taken as a new group's. */
export async function pickModelGroup(services: Pick<Services, 'connection'>, options: { title: string; placeholder?: string; allowNew?: boolean }): Promise<string | undefined> {
  const { connection } = services;
  return pickResource({
    title: options.title,
    placeholder: options.placeholder ?? 'Model group (or type its name)',
    load: async () =>
      (await listModelGroups(await connection.clients.sageMaker(), { pageSize: 100 })).items.map((group) => ({
        label: group.name,
        description: group.createdAt && relativeTime(group.createdAt),
        detail: group.description,
        resource: group.name,
      })),
    typed: (name) => name,
    validate: nameProblem,
    nothingListed: options.allowNew ? `No model groups in ${connection.settings.region} yet.` : `No model groups in ${connection.settings.region}: register a trained model first.`,
  });
}

export async function pickModelVersion(
  services: Pick<Services, 'connection'>,
  options: { title: string; approval?: ModelApprovalStatus; group?: string },
): Promise<ModelVersionSummary | undefined> {
  const { connection } = services;
  const group = options.group ?? (await pickModelGroup(services, { title: options.title }));
  if (!group) return undefined;
  return pickResource({
    title: options.title,
    placeholder: `A version of ${group}`,
    load: async () =>
      (await listModelVersions(await connection.clients.sageMaker(), group, { pageSize: 100, approval: options.approval })).items.map((version) => ({
        label: versionLabel(version),
        description: [version.approval, version.createdAt && relativeTime(version.createdAt)].filter(Boolean).join(' · '),
        detail: version.description,
        resource: version,
      })),
    nothingListed: options.approval ? `Model group ${group} has no ${options.approval} version.` : `Model group ${group} has no versions.`,
  });
}
