"""Front ends on the engine: Telegram, the terminal chat, and classify for scripts."""
