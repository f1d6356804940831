"""The Telegram layer: the only part of Keypoint that knows about Telegram."""
