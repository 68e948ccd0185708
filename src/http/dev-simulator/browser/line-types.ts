/** The parts of LINE's message objects the simulator reads (as sent by the bot to the LINE API stub). */

export interface LineAction {
  type: string;
  label?: string;
  data?: string;
  displayText?: string;
  text?: string;
  uri?: string;
  clipboardText?: string;
}

export interface QuickReplyItem {
  type?: string;
  action?: LineAction;
}

export interface FlexComponent {
  type: string;
  layout?: string;
  contents?: FlexComponent[];
  text?: string;
  url?: string;
  size?: string;
  weight?: string;
  style?: string;
  color?: string;
  decoration?: string;
  align?: string;
  spacing?: string;
  margin?: string;
  backgroundColor?: string;
  aspectRatio?: string;
  aspectMode?: string;
  flex?: number;
  action?: LineAction;
}

export interface FlexBubble {
  type: 'bubble';
  header?: FlexComponent;
  hero?: FlexComponent;
  body?: FlexComponent;
  footer?: FlexComponent;
}

export type FlexContainer = FlexBubble | { type: 'carousel'; contents?: FlexBubble[] };

export interface LineMessage {
  type?: string;
  text?: string;
  altText?: string;
  contents?: FlexContainer;
  originalContentUrl?: string;
  previewImageUrl?: string;
  quickReply?: { items?: QuickReplyItem[] };
}

/** A message the bot sent, as GET /dev/api/messages lists it. */
export interface BotMessage {
  via: 'reply' | 'push';
  message: LineMessage;
  at: number;
}

/** What this user did, as the server recorded it. */
export interface SentEntry {
  id: number;
  at: number;
  kind: 'text' | 'postback' | 'image' | 'follow' | 'join' | 'memberJoined' | 'leave';
  /** Who did it (in the group chat, one of its members). */
  userId: string;
  text?: string;
  messageId?: string;
}
