export { ingestApi } from './ingest.routes.js';
