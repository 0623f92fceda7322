import { SerializationError } from '@strata/core';
import type { Field, Type } from 'protobufjs';

/**
 * protobufjs's `verify` checks the fields a message type declares and ignores every other key, and
 * `encode` then drops them: the data would come back without them. This walk refuses such keys,
 * so what is stored is what was given. Runs after `verify`, which has checked the value shapes and
 * bounded the depth.
 */
export function checkProtobufKeys(type: Type, value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  const fields = fieldsOf(type);
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const field = fields.get(key);
    if (field === undefined) {
      throw new SerializationError(`${path}.${key} is not a field of protobuf message ${type.fullName}`, {
        details: { path: `${path}.${key}`, reason: 'unknown_field' },
      });
    }
    const item = record[key];
    if (item === null || item === undefined) continue;
    const nested = messageTypeOf(field);
    if (field.map) {
      const entries = item as Record<string, unknown>;
      for (const mapKey in entries) {
        if (mapKey === '__proto__' || mapKey === 'constructor' || mapKey === 'prototype') {
          throw new SerializationError(`Refusing the map key '${mapKey}' at ${path}.${key}`, {
            details: { path: `${path}.${key}`, reason: 'unserializable' },
          });
        }
        if (nested !== undefined) checkProtobufKeys(nested, entries[mapKey], `${path}.${key}.${mapKey}`);
      }
    } else if (nested !== undefined) {
      if (Array.isArray(item)) {
        for (let i = 0; i < item.length; i++) checkProtobufKeys(nested, item[i], `${path}.${key}[${i}]`);
      } else {
        checkProtobufKeys(nested, item, `${path}.${key}`);
      }
    }
  }
}

// Computed once per message type; `type.fields` is a plain object, where `fields['constructor']`
// would find Object's constructor.
const fieldMaps = new WeakMap<Type, ReadonlyMap<string, Field>>();

function fieldsOf(type: Type): ReadonlyMap<string, Field> {
  let fields = fieldMaps.get(type);
  if (fields === undefined) {
    fields = new Map(type.fieldsArray.map((field) => [field.name, field]));
    fieldMaps.set(type, fields);
  }
  return fields;
}

function messageTypeOf(field: Field): Type | undefined {
  const resolved = field.resolvedType;
  return resolved !== null && 'fieldsArray' in resolved ? (resolved as Type) : undefined;
}
