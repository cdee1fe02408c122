/**
 * The Avro contracts layer: schema files in `schemas/`, single-object encoding, validation and
 * compatibility. Start with {@link loadCatalogue}.
 */
export { createCatalogue, defaultSchemaDir, loadCatalogue, type Catalogue, type DecodedMessage } from './catalogue.js';
export { checkFullTransitive, readProblems, type CompatibilityProblem, type ReadLabels, type ReadProblem } from './compatibility.js';
export { AvroDecodeError, AvroEncodeError, SchemaIncompatibleError, SchemaInvalidError, SchemaUnknownError } from './errors.js';
export { canonicalForm, crc64Avro, fingerprintHex, schemaFingerprint } from './fingerprint.js';
export { DateType, DecimalType, TimestampMillisType, dateToEpochDays, epochDaysToDate } from './logical-types.js';
export { parseSchema } from './parse-schema.js';
export { createMemoryRegistry, type RegisteredSchema, type SchemaRegistry } from './registry.js';
export { scanSchemaDir, type SchemaFileProblem, type SchemaScan } from './schema-files.js';
export { encodeSingleObject, isSingleObject, readFingerprint } from './single-object.js';
export { validateValue } from './validate.js';
