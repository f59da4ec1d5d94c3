// The modules mutation testing covers, in one place: what each mutates (globs of source files) and
// the tests that cover it (TypeScript paths; the compiled out/…/*.test.js files are what run). Only
// these tests run against a module's mutants, so a run stays fast; point a glob here when files move.
// Tests that start the emulator as a child process (spawnCli) are left out: the TAP runner sees
// coverage of its own process only, so their mutants would count as uncovered.

/** @type {{ name: string, mutate: string[], tests: string[] }[]} */
export const modules = [
  {
    name: 'auth',
    mutate: ['emulator/auth/**/*.ts'],
    // The verifier called in-process, without a server (~2 s a run); auth/signatures.test.ts sends
    // a few of the same requests through an in-process emulator over HTTP and is left out here, as it
    // starts an emulator each run (a full run with it took ~2 h).
    tests: ['test/unit/emulator/auth/signatureVerifier.test.ts', 'test/unit/emulator/protocols/awsChunked.test.ts'],
  },
  {
    name: 'validation',
    mutate: ['emulator/validation.ts'],
    // test/emulator/validation/modelLimits.test.ts proves the same limits end to end for every operation, but takes ~10 s a run.
    tests: ['test/unit/emulator/validation.test.ts'],
  },
  {
    name: 'paging',
    mutate: ['emulator/pageTokens.ts', 'emulator/services/paging.ts', 'emulator/store/orders.ts', 'emulator/services/s3/listing.ts'],
    // services/s3/list.test.ts (in-process emulator, ~10 s) covers the ListObjects requests' own checks in listing.ts.
    tests: ['test/unit/emulator/services/paging.test.ts', 'test/unit/emulator/store/store.test.ts', 'test/unit/emulator/services/s3/listing.test.ts', 'test/emulator/services/s3/list.test.ts'],
  },
  {
    name: 'pipeline',
    // The prompt-test files' validator is generated from their JSON schema (not code to mutate).
    mutate: ['src/pipeline/**/*.ts', '!src/pipeline/promptTests/promptFileValidator.ts'],
    // Beside the unit tests, the transfer and metric-series tests (in-process emulator) cover
    // src/pipeline/transfers and trainingMetrics.ts.
    tests: ['test/unit/extension/pipeline/**/*.test.ts', 'test/emulator/transfers.test.ts', 'test/emulator/training-metrics-series.test.ts'],
  },
  {
    name: 's3-reads-multipart',
    mutate: [
      'emulator/services/s3/{GetObject,HeadObject,objectReads,objectBodies}.ts',
      'emulator/services/s3/multipart/uploads.ts',
      'emulator/services/s3/multipart/{CreateMultipartUpload,UploadPart,UploadPartCopy,CompleteMultipartUpload,AbortMultipartUpload,ListParts,ListMultipartUploads}.ts',
    ],
    tests: ['test/emulator/services/s3/objects.test.ts', 'test/emulator/services/s3/multipart/multipart.test.ts', 'test/emulator/services/s3/multipart/parts.test.ts'],
  },
  {
    name: 'training-runtime',
    mutate: ['emulator/runtime/jobs/{trainingRuntime,trainingRun,trainingHost,checkpointSync,jobSupervisor,unresumableJobs}.ts', 'emulator/runtime/hosts/hostGroup.ts'],
    tests: ['test/unit/emulator/services/sagemaker/trainingJobs/state.test.ts', 'test/emulator/runtime/jobs/trainingRuntime.test.ts'],
  },
  {
    name: 'endpoint-runtime',
    mutate: ['emulator/runtime/endpoints/endpointRuntime.ts', 'emulator/runtime/hosts/{modelFleet,modelInstance}.ts'],
    tests: ['test/unit/emulator/services/sagemaker/hosting/state.test.ts', 'test/emulator/runtime/endpoints/endpointRuntime.test.ts'],
  },
];
