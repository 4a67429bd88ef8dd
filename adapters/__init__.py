"""The edges of the bot, one room per thing they talk to: Teams, the web, the store, the terminal, files."""
