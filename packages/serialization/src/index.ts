export { createSerializer } from './serializer/create-serializer.js';
export type { SerializerOptions } from './serializer/serializer-options.js';
export type { Serializer, EventToEncode, DecodedEvent, RecordToEncode } from './serializer/serializer.js';
export { FORMAT_IDS, type SerializationFormat } from './codecs/format.js';

export { createEventRegistry, type EventRegistryOptions } from './registry/create-event-registry.js';
export type {
  EventRegistry,
  EventTypeRegistration,
  EventTypePlan,
  EventVersionPlan,
  EventValidator,
  ProtobufSchema,
  Upcaster,
  UpcastContext,
  UpcasterRegistration,
} from './registry/event-registry.js';

export type { Structures, StructureStore } from './structures/structure-store.js';
export { createInMemoryStructureStore, type InMemoryStructureStore } from './structures/in-memory-structure-store.js';

export { readRecordHeader, createRecordView, type RecordView } from './envelope/record-view.js';
export { setRecordCoordinates } from './envelope/set-record-coordinates.js';
export { MAX_DEPTH } from './codecs/value-check.js';
