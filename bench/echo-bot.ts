// The baseline of `npm run bench -- webhook`: a bot written the way the SDK's own example
// (line-bot-sdk-nodejs examples/echo-bot-ts-esm) is — express, the SDK's middleware() for the
// signature, replyMessage for every text event, 200 once the replies are sent. No database.
import { HTTPFetchError, messagingApi, middleware, type webhook } from '@line/bot-sdk';
import express from 'express';

const channelSecret = process.env.LINE_CHANNEL_SECRET ?? '';
const client = new messagingApi.MessagingApiClient({
  channelAccessToken: process.env.LINE_CHANNEL_ACCESS_TOKEN ?? '',
  baseURL: process.env.LINE_API_BASE_URL,
});

async function textEventHandler(event: webhook.Event): Promise<void> {
  if (event.type !== 'message' || event.message.type !== 'text' || !event.replyToken) return;
  await client.replyMessage({ replyToken: event.replyToken, messages: [{ type: 'text', text: event.message.text }] });
}

const app = express();
app.post('/callback', middleware({ channelSecret }), async (req, res) => {
  const events = (req.body as webhook.CallbackRequest).events;
  try {
    await Promise.all(events.map(textEventHandler));
    res.status(200).json({ status: 'success' });
  } catch (error) {
    if (error instanceof HTTPFetchError) console.error(error.status, error.body);
    res.status(500).json({ status: 'error' });
  }
});
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
