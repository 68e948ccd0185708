import { HTTPFetchError, LineBotClient, type messagingApi } from '@line/bot-sdk';
import { createHash } from 'node:crypto';

export interface LineClientOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
}

export function createLineClient(options: LineClientOptions): LineBotClient {
  return LineBotClient.fromChannelAccessToken({
    channelAccessToken: options.channelAccessToken,
    apiBaseURL: options.apiBaseUrl,
    dataApiBaseURL: options.dataApiBaseUrl,
  });
}

/** A stable UUID for a push, so a retried push of the same thing is delivered once (X-Line-Retry-Key). */
export function retryKeyFor(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** LINE refused the reply token: expired, or already used. */
export function isInvalidReplyToken(error: unknown): boolean {
  return error instanceof HTTPFetchError && error.status === 400 && /invalid reply token/i.test(error.body);
}

/** Pushes with a retry key; 409 means LINE already accepted this very push. */
export async function pushOnce(client: LineBotClient, to: string, messages: messagingApi.Message[], retryKey: string): Promise<void> {
  try {
    await client.pushMessage({ to, messages }, retryKey);
  } catch (error) {
    if (error instanceof HTTPFetchError && error.status === 409) return;
    throw error;
  }
}
