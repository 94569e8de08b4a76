import { Foundation1764201600000 } from './1764201600000-foundation.js';

/** Every migration, oldest first. A new migration is added here as well as in its own file. */
export const MIGRATIONS = [Foundation1764201600000];
