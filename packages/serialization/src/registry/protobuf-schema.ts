import { InvalidArgumentError } from '@strata/core';
import protobuf from 'protobufjs';
import type { Type } from 'protobufjs';

const FORBIDDEN_FIELD_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns a registration's `protobuf` option (a `Type`, or `.proto` text and a message name) into a
 * resolved protobufjs `Type`, parsing the text once, at registration. Throws `INVALID_ARGUMENT`
 * naming `option` when the schema does not parse, the message is missing, or a field is named like
 * a prototype key.
 */
export function resolveProtobufSchema(schema: unknown, option: string): Type {
  let type: Type;
  if (isProtobufType(schema)) {
    type = schema;
  } else if (typeof schema === 'object' && schema !== null) {
    const { proto, message, keepCase } = schema as Record<string, unknown>;
    if (typeof proto !== 'string' || proto.length === 0) {
      throw new InvalidArgumentError(`${option}.proto`, 'expected the text of a .proto file');
    }
    if (typeof message !== 'string' || message.length === 0) {
      throw new InvalidArgumentError(`${option}.message`, 'expected the name of a message type');
    }
    if (keepCase !== undefined && typeof keepCase !== 'boolean') {
      throw new InvalidArgumentError(`${option}.keepCase`, 'expected a boolean');
    }
    try {
      type = protobuf.parse(proto, { keepCase: keepCase ?? false }).root.lookupType(message);
    } catch (err) {
      throw new InvalidArgumentError(option, `could not load message '${message}': ${(err as Error).message}`, {
        cause: err,
      });
    }
  } else {
    throw new InvalidArgumentError(option, 'expected a protobufjs Type or { proto, message }');
  }
  try {
    type.root.resolveAll();
  } catch (err) {
    throw new InvalidArgumentError(option, `unresolved types: ${(err as Error).message}`, { cause: err });
  }
  checkFieldNames(type, option, new Set());
  return type;
}

function isProtobufType(value: unknown): value is Type {
  if (value instanceof protobuf.Type) return true;
  // A Type from a second copy of protobufjs fails instanceof but works the same.
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['encode'] === 'function' &&
    typeof candidate['decode'] === 'function' &&
    typeof candidate['verify'] === 'function' &&
    typeof candidate['toObject'] === 'function' &&
    typeof candidate['fields'] === 'object'
  );
}

function checkFieldNames(type: Type, option: string, seen: Set<Type>): void {
  if (seen.has(type)) return;
  seen.add(type);
  for (const field of type.fieldsArray) {
    if (FORBIDDEN_FIELD_NAMES.has(field.name)) {
      throw new InvalidArgumentError(option, `field '${field.name}' of ${type.fullName} is a prototype key`);
    }
    const nested = field.resolvedType;
    if (nested !== null && isProtobufType(nested)) checkFieldNames(nested, option, seen);
  }
}
