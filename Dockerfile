# The community crime-reporting bot in a small image. Build and run (see README, "Deploy"):
#   docker build -t community-crime-bot .
#   docker run -d --name crime-bot --env-file .env --restart unless-stopped --stop-timeout 30 community-crime-bot
# Settings come from the environment (--env-file .env); .env itself is never copied into the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A user without a password, a shell or write access to the code and content.
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin bot

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .

# The content is what a group edits most; copied last so a content change rebuilds in seconds.
COPY intents.yaml ./
COPY content ./content
# Refuse to build an image whose content fails the check (each problem printed as file:line).
RUN python -m bot check

USER bot
# docker stop sends SIGTERM: the bot answers what it has received (at most ~60 messages, a couple of seconds at
# Telegram's rate), then exits 0. Docker waits only 10 s by default: run with --stop-timeout 30 (an image cannot
# set it). A token revoked while running exits 2.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
