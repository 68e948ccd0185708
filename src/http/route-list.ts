import { chartRoutes } from './chart-route.js';
import { devRoutes } from './dev-routes.js';
import { exportRoutes } from './export-route.js';
import type { RouteFactory } from './route-deps.js';
import { komojuWebhookRoutes } from './komoju-webhook.js';
import { linkAssetRoutes } from './link-assets.js';
import { linkPageRoutes } from './link-page.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { shopPageRoutes } from './shop-legal-page.js';

/** Every feature's HTTP routes (after the LINE webhook, which needs the raw body first). */
export const featureRoutes: RouteFactory[] = [linkAssetRoutes, devRoutes, komojuWebhookRoutes, linkPageRoutes, sandboxRoutes, shopPageRoutes, exportRoutes, chartRoutes];
