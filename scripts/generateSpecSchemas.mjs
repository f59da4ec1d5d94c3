// Generates the JSON Schemas of the job spec files from SageMaker's published API model, at build
// time (`npm run build` runs it before webpack): a `*.training.json|yaml` file is a CreateTrainingJob
// request, a `*.processing.json|yaml` file a CreateProcessingJob request and a `*.transform.json|yaml`
// file a CreateTransformJob request, so their schemas are those requests' input shapes — members,
// required members, enums, lengths, ranges, patterns and the API's own documentation for hovers and
// completion. VS Code applies them through package.json's `jsonValidation` and `yamlValidation`.
//
//   node scripts/generateSpecSchemas.mjs [OUT_DIR]     (default dist/schemas)
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compilePattern, loadModel, REPO_ROOT } from './awsModels.mjs';

/** Spec kind → the request it is; the file names are what package.json's validation entries point at. */
export const SPEC_SCHEMAS = {
  'training-job': { operation: 'CreateTrainingJob', title: 'SageMaker training job spec (CreateTrainingJob request)' },
  'processing-job': { operation: 'CreateProcessingJob', title: 'SageMaker processing job spec (CreateProcessingJob request)' },
  'transform-job': { operation: 'CreateTransformJob', title: 'SageMaker batch transform job spec (CreateTransformJob request)' },
};

/** AWS's documentation is HTML; hovers and completion show markdown. */
export function markdownOf(html) {
  if (!html) return undefined;
  const text = html
    .replace(/<a\s+href="([^"]*)"[^>]*>(.*?)<\/a>/gs, (_, href, label) => `[${label.trim()}](${href})`)
    .replace(/<\/?code>/g, '`')
    .replace(/<\/?(b|strong)>/g, '**')
    .replace(/<\/?(i|em)>/g, '*')
    .replace(/<li>\s*/g, '\n- ')
    .replace(/<note>/g, '\n\n> **Note** ')
    .replace(/<important>/g, '\n\n> **Important** ')
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text || undefined;
}

/** One API model shape as JSON Schema; structures go to `definitions` (they may be recursive). */
function schemaOf(model, name, definitions, skippedPatterns) {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`no shape ${name} in the SageMaker model`);
  if (shape.type === 'structure') {
    if (!definitions[name]) {
      definitions[name] = {}; // reserved first: a member may refer back to this structure
      const properties = {};
      for (const [member, reference] of Object.entries(shape.members)) {
        const schema = schemaOf(model, reference.shape, definitions, skippedPatterns);
        const description = markdownOf(reference.documentation) ?? markdownOf(model.shapes[reference.shape].documentation);
        properties[member] = { ...schema, ...(description ? { markdownDescription: description } : {}), ...(reference.deprecated ? { deprecated: true } : {}) };
      }
      Object.assign(definitions[name], {
        type: 'object',
        ...(markdownOf(shape.documentation) ? { markdownDescription: markdownOf(shape.documentation) } : {}),
        properties,
        ...(shape.required?.length ? { required: shape.required } : {}),
        additionalProperties: false,
        // A union sets exactly one member.
        ...(shape.union ? { minProperties: 1, maxProperties: 1 } : {}),
      });
    }
    return { $ref: `#/definitions/${name}` };
  }
  switch (shape.type) {
    case 'string': {
      const regex = shape.pattern && !shape.enum ? compilePattern(shape.pattern, skippedPatterns) : undefined;
      return {
        type: 'string',
        ...(shape.enum ? { enum: shape.enum } : {}),
        ...(shape.min !== undefined && shape.min > 0 ? { minLength: shape.min } : {}),
        ...(shape.max !== undefined ? { maxLength: shape.max } : {}),
        // A pattern that accepts anything (`.*`) says nothing worth checking.
        ...(regex && shape.pattern !== '.*' ? { pattern: regex } : {}),
      };
    }
    case 'integer':
    case 'long':
      return { type: 'integer', ...(shape.min !== undefined ? { minimum: shape.min } : {}), ...(shape.max !== undefined ? { maximum: shape.max } : {}) };
    case 'float':
    case 'double':
      return { type: 'number', ...(shape.min !== undefined ? { minimum: shape.min } : {}), ...(shape.max !== undefined ? { maximum: shape.max } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'blob':
      return { type: 'string', contentEncoding: 'base64' };
    case 'list':
      return {
        type: 'array',
        items: schemaOf(model, shape.member.shape, definitions, skippedPatterns),
        ...(shape.min !== undefined && shape.min > 0 ? { minItems: shape.min } : {}),
        ...(shape.max !== undefined ? { maxItems: shape.max } : {}),
      };
    case 'map': {
      const key = schemaOf(model, shape.key.shape, definitions, skippedPatterns);
      return {
        type: 'object',
        additionalProperties: schemaOf(model, shape.value.shape, definitions, skippedPatterns),
        ...(key.pattern || key.maxLength || key.enum ? { propertyNames: key } : {}),
        ...(shape.max !== undefined ? { maxProperties: shape.max } : {}),
      };
    }
    default:
      throw new Error(`shape ${name} has a type (${shape.type}) the spec schemas do not map`);
  }
}

/** The JSON Schema of one spec kind. */
export function specSchema(model, kind) {
  const { operation, title } = SPEC_SCHEMAS[kind];
  const input = model.operations[operation]?.input?.shape;
  if (!input) throw new Error(`no operation ${operation} in the SageMaker model`);
  const definitions = {};
  const skippedPatterns = new Set();
  schemaOf(model, input, definitions, skippedPatterns);
  const request = definitions[input];
  delete definitions[input];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://llm-workbench.local/schemas/${kind}.schema.json`,
    title,
    markdownDescription: `${markdownOf(model.operations[operation].documentation)?.split('\n\n')[0] ?? ''}\n\nThe file's content is the \`${operation}\` request itself (SageMaker API ${model.metadata.apiVersion}).`,
    ...request,
    // `$schema` may name this schema in the file; it is not sent.
    properties: { $schema: { type: 'string' }, ...request.properties },
    definitions,
  };
}

/** Hand-written schemas (schemas/), copied beside the generated ones: every schema editors get is in one folder. */
export const WRITTEN_SCHEMAS = ['prompt-tests.schema.json'];

export function generateSpecSchemas(outputDir) {
  const model = loadModel('sagemaker', '2017-07-24');
  mkdirSync(outputDir, { recursive: true });
  for (const kind of Object.keys(SPEC_SCHEMAS)) {
    writeFileSync(join(outputDir, `${kind}.schema.json`), `${JSON.stringify(specSchema(model, kind), null, 1)}\n`);
  }
  for (const name of WRITTEN_SCHEMAS) copyFileSync(join(REPO_ROOT, 'schemas', name), join(outputDir, name));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(REPO_ROOT, 'scripts', 'generateSpecSchemas.mjs')) {
  const outputDir = resolve(process.argv[2] ?? join(REPO_ROOT, 'dist', 'schemas'));
  generateSpecSchemas(outputDir);
  console.log(`spec schemas (${Object.keys(SPEC_SCHEMAS).join(', ')}) and ${WRITTEN_SCHEMAS.join(', ')} → ${outputDir}`);
}
