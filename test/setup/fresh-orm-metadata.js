// Before each e2e test file: MikroORM keeps the entity metadata its decorators collect in a process-wide
// object (globalThis['mikro-orm-metadata']). When jest runs several files in one process (`jest -i`, or one
// worker), that object still holds the entities of the global setup and of the files before, built in their
// own module realms, and the next file's discovery fails ("Map.prototype.set called on incompatible
// receiver"). Each file starts from an empty one; its own entity modules fill it again as they load.
const storage = globalThis['mikro-orm-metadata'];
if (storage) for (const key of Object.keys(storage)) delete storage[key];
