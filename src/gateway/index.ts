export * from './agent-id';
export * from './client';
export * from './errors';
export * from './events';
export * from './floor';
export * from './logger';
export * from './retcodes';
export { Secret } from './secret';
