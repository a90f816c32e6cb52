export * from './app-error.js';
export * from './constraint-messages.js';
