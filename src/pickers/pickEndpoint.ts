// The endpoint to act on, from the palette: the region's endpoints (only those in the statuses the
// command acts on), or a name typed in (then described, so a mistyped name says it was not found).
import type { EndpointStatus } from '@aws-sdk/client-sagemaker';
import { describeEndpoint, listEndpoints, type EndpointSummary } from '../pipeline/endpoints';
import { nameProblem } from '../pipeline/names';
import type { Services } from '../services';
import { pickResource } from './pickResource';

export async function pickEndpoint(
  services: Pick<Services, 'connection'>,
  options: { title: string; status?: EndpointStatus },
): Promise<EndpointSummary | undefined> {
  const { connection } = services;
  const region = connection.settings.region;
  return pickResource({
    title: options.title,
    placeholder: options.status ? `An endpoint that is ${options.status} (or type its name)` : 'Endpoint name',
    load: async () => {
      const page = await listEndpoints(await connection.clients.sageMaker(), { pageSize: 100, status: options.status });
      return page.endpoints.map((endpoint) => ({ label: endpoint.name, description: endpoint.status, resource: endpoint }));
    },
    typed: async (name) => describeEndpoint(await connection.clients.sageMaker(), name),
    validate: nameProblem,
    nothingListed: options.status ? `No endpoint is ${options.status} in ${region}.` : `No endpoints in ${region}.`,
  });
}
