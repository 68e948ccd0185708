import { HTTPFetchError } from '@line/bot-sdk';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createLineClient } from '../line/line-client.js';
import { newMessageId, newWebhookEventId, postSignedWebhook } from '../line/webhook-event.js';
import { CliError, requireFlag, type AdminCommand, type CliContext } from './commands.js';
import { RICH_MENU_BUTTONS, RICH_MENU_HEIGHT, RICH_MENU_WIDTH, richMenuDefinition } from '../line/rich-menu/rich-menu-layout.js';

function numberFlag(context: CliContext, name: string, fallback: number): number {
  const value = context.flags.get(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new CliError(`--${name} must be a number of milliseconds`, 2);
  return parsed;
}

interface SentMessage {
  via: string;
  message: Record<string, unknown>;
  at: number;
}

/** The readable part of a LINE message: its text, alt text, button labels; image URLs. */
function describeMessage(message: Record<string, unknown>): string {
  if (message.type === 'image') return `[image] ${String(message.originalContentUrl)}`;
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') parts.push(inner);
        else if (key === 'altText' && typeof inner === 'string') parts.push(`[${String(message.type)}] ${inner}`);
        else if (key === 'label' && typeof inner === 'string') parts.push(`[button] ${inner}`);
        else if (key !== 'data') walk(inner);
      }
    }
  };
  walk(message);
  return parts.join('\n');
}

/** Local mode only: the messages the bot sent to `userId` since `since`, as the simulator's stub recorded them. */
async function fetchReplies(baseUrl: string, userId: string, since: number): Promise<SentMessage[] | null> {
  const response = await fetch(`${baseUrl}/dev/api/messages?userId=${encodeURIComponent(userId)}&since=${since}`, { signal: AbortSignal.timeout(5_000) });
  if (response.status === 404) return null;
  if (!response.ok) throw new CliError(`GET /dev/api/messages answered ${response.status}`);
  const body = (await response.json()) as { messages?: SentMessage[] };
  return body.messages ?? [];
}

/** Polls until the bot has answered and then stayed quiet briefly, or `waitMs` passed. */
async function collectReplies(baseUrl: string, userId: string, since: number, waitMs: number): Promise<SentMessage[] | null> {
  const deadline = Date.now() + waitMs;
  let replies: SentMessage[] = [];
  let lastChange = Date.now();
  while (Date.now() < deadline) {
    const current = await fetchReplies(baseUrl, userId, since);
    if (current === null) return null;
    if (current.length !== replies.length) {
      replies = current;
      lastChange = Date.now();
    } else if (replies.length > 0 && Date.now() - lastChange > 700) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return replies;
}

const webhookSend: AdminCommand = {
  name: 'webhook:send',
  usage: 'webhook:send --user U… --text T [--url URL] [--wait MS]',
  summary: 'signs a LINE text message event, posts it to a running server, prints status (+ replies in local mode)',
  needsDatabase: false,
  async run(context) {
    const userId = requireFlag(context, 'user');
    const text = context.flags.get('text');
    if (typeof text !== 'string' || text === '') throw new CliError('missing --text <message>', 2);
    const urlFlag = context.flags.get('url');
    const baseUrl = (typeof urlFlag === 'string' ? urlFlag : `http://127.0.0.1:${context.config.port}`).replace(/\/+$/, '');
    const waitMs = numberFlag(context, 'wait', 10_000);

    const now = Date.now();
    // No reply token: one made up here would be refused by LINE, so the bot pushes its answer.
    const event = {
      type: 'message',
      mode: 'active',
      timestamp: now,
      webhookEventId: newWebhookEventId(now),
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      message: { type: 'text', id: newMessageId(now), quoteToken: randomUUID(), text },
    };
    let status: number;
    try {
      status = await postSignedWebhook(`${baseUrl}/webhooks/line`, context.config.line.channelSecret, 'Uadmincli', [event]);
    } catch (error) {
      throw new CliError(`no server answering at ${baseUrl} (${(error as Error).message}); start it with npm start, or pass --url`);
    }
    const hint = status === 401 ? ' (signature refused: the server uses another LINE_CHANNEL_SECRET)' : '';
    if (status !== 200) {
      return { json: { status, webhookEventId: event.webhookEventId }, text: `HTTP ${status}${hint}`, exitCode: 1 };
    }

    const replies = context.config.localMode ? await collectReplies(baseUrl, userId, now - 1, waitMs) : null;
    const lines = [`HTTP ${status}`];
    if (replies === null) {
      lines.push(context.config.localMode ? 'replies: not available (the server is not in local mode)' : 'replies: delivered by LINE to the user (not visible here outside local mode)');
    } else if (replies.length === 0) {
      lines.push(`replies: none within ${waitMs} ms`);
    } else {
      for (const reply of replies) lines.push(`--- ${reply.via}`, describeMessage(reply.message));
    }
    return {
      json: { status, webhookEventId: event.webhookEventId, ...(replies === null ? {} : { replies }) },
      text: lines.join('\n'),
    };
  },
};

function lineError(error: unknown, step: string): CliError {
  if (error instanceof HTTPFetchError) {
    const hint = error.status === 401 ? ' (check LINE_CHANNEL_ACCESS_TOKEN)' : '';
    return new CliError(`LINE refused ${step}: HTTP ${error.status} ${error.body}${hint}`);
  }
  return new CliError(`could not reach LINE for ${step}: ${(error as Error).message}`);
}

const richMenuSetup: AdminCommand = {
  name: 'richmenu:setup',
  usage: 'richmenu:setup [--out menu.png] [--dry-run]',
  summary: 'draws the ja/en/ko rich menu, uploads it and makes it the default',
  needsDatabase: false,
  async run(context) {
    // Loaded here, not with the command list: the embedded server loads that list to serve the CLI,
    // and resvg with its fonts would then stay in its memory for a drawing it never makes.
    const { renderRichMenuImage } = await import('../line/rich-menu/rich-menu-image.js');
    const image = renderRichMenuImage();
    const out = context.flags.get('out');
    if (typeof out === 'string') writeFileSync(out, image);
    const menu = richMenuDefinition();
    const summary = { imageBytes: image.length, width: RICH_MENU_WIDTH, height: RICH_MENU_HEIGHT, buttons: RICH_MENU_BUTTONS.map((button) => button.command) };
    if (context.flags.get('dry-run') === true) {
      return { json: { ...summary, uploaded: false }, text: `rich menu drawn (${image.length} bytes${typeof out === 'string' ? `, saved to ${out}` : ''}); not uploaded (--dry-run)` };
    }
    if (context.config.localMode && !process.env.LINE_API_BASE_URL) {
      throw new CliError('richmenu:setup needs a LINE channel (LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN); use --dry-run --out menu.png to preview the image');
    }
    const line = createLineClient(context.config.line);
    let richMenuId: string;
    try {
      ({ richMenuId } = await line.createRichMenu(menu));
    } catch (error) {
      throw lineError(error, 'the rich menu');
    }
    try {
      await line.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: 'image/png' }));
    } catch (error) {
      throw lineError(error, 'the rich menu image');
    }
    try {
      await line.setDefaultRichMenu(richMenuId);
    } catch (error) {
      throw lineError(error, 'setting the default rich menu');
    }
    return {
      json: { richMenuId, ...summary, uploaded: true, default: true },
      text: `rich menu ${richMenuId} uploaded (${image.length} bytes) and set as the default for every user`,
    };
  },
};

export const lineCommands: AdminCommand[] = [webhookSend, richMenuSetup];
