/**
 * Validators for the connectors' output: the Airbyte protocol's message definitions
 * (fixtures/airbyte-protocol.schema.json, transcribed from the protocol's YAML, source and
 * commit in its $comment) and Singer's message format (fixtures/singer.schema.json, written from the Singer specification),
 * checked with ajv; plus each stream's own record schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

/** ajv with the formats our schemas use (no ajv-formats dependency for three regexes). */
export function createAjv(): Ajv {
  // Airbyte's spec carries UI keywords (airbyte_secret, order): not errors, just unknown.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat(
    'date-time',
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/,
  );
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
  return ajv;
}

const ajv = createAjv();
const airbyte = fixture('airbyte-protocol.schema.json');
ajv.addSchema(airbyte, 'airbyte');
const airbyteMessage = ajv.getSchema('airbyte#/definitions/AirbyteMessage')!;
const configuredCatalog = ajv.getSchema('airbyte#/definitions/ConfiguredAirbyteCatalog')!;

function check(validate: ValidateFunction, value: unknown, what: string): void {
  if (!validate(value)) {
    assert.fail(
      `${what} is invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 400)}`,
    );
  }
}

/** A message after validation, read loosely by the tests (the validator checked its shape). */
// biome-ignore lint/suspicious/noExplicitAny: validated above by the protocol's schema
export type Message = { type: string } & Record<string, any>;

/** Parses stdout into messages, asserting each line is JSON that `validate` accepts. */
function parseMessages(stdout: string, validate: ValidateFunction): Message[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((line, i) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      assert.fail(`stdout line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
    }
    check(validate, message, `line ${i + 1}`);
    return message as Message;
  });
}

/** Parses stdout into messages, asserting each line is one valid Airbyte message. */
export function airbyteMessages(stdout: string): Message[] {
  return parseMessages(stdout, airbyteMessage);
}

ajv.addSchema(fixture('singer.schema.json'), 'singer');
const singerMessage = ajv.getSchema('singer#/definitions/Message')!;
const singerCatalog = ajv.getSchema('singer#/definitions/Catalog')!;

/** Parses stdout into messages, asserting each line is one valid Singer message. */
export function singerMessages(stdout: string): Message[] {
  return parseMessages(stdout, singerMessage);
}

/** Asserts a Singer discovery catalog is valid. */
export function assertSingerCatalog(catalog: unknown): void {
  check(singerCatalog, catalog, 'Singer catalog');
}

/** Asserts a configured catalog is valid for the protocol (what our tests pass to read). */
export function assertConfiguredCatalog(catalog: unknown): void {
  check(configuredCatalog, catalog, 'configured catalog');
}

/** A validator for a stream's own JSON Schema (records must match what discover said). */
export function recordValidator(schema: object): (record: unknown) => void {
  const validate = ajv.compile(schema);
  return (record) => check(validate, record, 'record');
}
