export { componentSourceRoutes } from './component-sources.routes.js';
export { type ComponentSourceView, SetComponentSource, type SetComponentSourceInput } from './component-sources.schemas.js';
export { deleteSource, getSource, setSource } from './component-sources.service.js';
export { createSourcePoller, type SourcePoller } from './source-poller.task.js';
export type { PollOutcome } from './source-poller.js';
