// Moved to shared/items.ts; this pass-through goes once the webhook trigger imports it from there
// (HighLevelWebhookTrigger/events.ts, left to the issue that owns that folder).
export { channelOf, messageItem } from '../ConversationsApi/shared/items';
