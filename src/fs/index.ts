export { commitFile, fsyncDir, fsyncFile, isNotFound, renameDurable, renameIfExists, tempPathFor, writeFileDurable } from './durable.js';
