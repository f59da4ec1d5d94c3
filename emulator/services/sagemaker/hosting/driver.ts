// The endpoint runtime's access to endpoint records: it reads what to run and moves the endpoint
// through its state machine (state.ts), outside any API request. Each move is durable
// before it resolves; a move the record has gone past (deleted, or deleting meanwhile) is dropped.
import type { EndpointDriver, EndpointRepository } from '../../../runtime/endpoints/endpointRuntime';
import type { RegionalScope } from '../../../regionalScope';
import type { Store } from '../../../store/store';
import { parseSagemakerArn } from '../common/arns';
import { endpointConfigs } from './endpointConfigRecords';
import { endpointName, endpoints, type EndpointRecord, variantSpecs } from './endpointRecords';
import { endpointFailed, endpointInService } from './state';
import { deleteResource, findResource, putResource } from '../common/resources';

export function endpointRepository(store: Store): EndpointRepository {
  return {
    liveEndpoints: () =>
      [...store.scan(endpoints.table)]
        .filter((endpoint) => endpoint.status !== 'Failed')
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((endpoint) => endpoint.arn),
    driver(arn) {
      const parsed = parseSagemakerArn(arn);
      if (!parsed) return undefined;
      const scope: RegionalScope = { store, accountId: parsed.accountId, region: parsed.region };
      const initial = findResource(scope, endpoints, parsed.resourceId);
      return initial && endpointDriver(scope, initial);
    },
  };
}

function endpointDriver(scope: RegionalScope, initial: EndpointRecord): EndpointDriver {
  const current = () => {
    const record = findResource(scope, endpoints, endpointName(initial));
    return record?.arn === initial.arn ? record : undefined;
  };
  const settling = (record: EndpointRecord | undefined) => record?.status === 'Creating' || record?.status === 'Updating';
  return {
    arn: initial.arn,
    name: endpointName(initial),
    current,
    specs(configName) {
      const captured = current()?.specs?.[configName];
      if (captured) return captured;
      // Records written before specs were captured: the configuration as it is now.
      const config = findResource(scope, endpointConfigs, configName);
      return config && variantSpecs(scope, config)[configName];
    },
    async inService() {
      const record = current();
      if (!settling(record)) return;
      const served = endpointInService(record!, new Date());
      // Only the configuration that now serves is still needed.
      const specs = record!.specs && { [served.configName]: record!.specs[served.configName] };
      await scope.store.commit([putResource(scope, endpoints, { ...served, specs })]);
    },
    async failed(reason) {
      const record = current();
      if (!settling(record)) return;
      await scope.store.commit([putResource(scope, endpoints, endpointFailed(record!, reason, new Date()))]);
    },
    async remove() {
      const record = current();
      if (record?.status === 'Deleting') await scope.store.commit(deleteResource(scope, endpoints, record));
    },
  };
}
