import { devRoutes } from './dev-routes.js';
import type { RouteFactory } from './feature-routes.js';
import { linkAssetRoutes } from './link-assets.js';

/** Every feature's HTTP routes (after the LINE webhook, which needs the raw body first). */
export const featureRoutes: RouteFactory[] = [linkAssetRoutes, devRoutes];
