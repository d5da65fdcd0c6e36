"""Text -> meaning: the learned classifier (static embeddings + a fitted head) beside the safety rules."""
