"""Teams and the Bot Connector: the conversation, activity rules, paced sends, the ticket courier, the app package.

Each Microsoft SDK that speaks the Connector's protocol lives in its own sub-room (`botbuilder/`, `agents/`),
behind the seam in `sdk.py`; nothing else imports either.
"""
