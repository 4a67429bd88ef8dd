"""Teams and the Bot Connector: activity rules, paced sends to the Connector, the app package.

The SDK that speaks the Connector's protocol lives in one sub-room (`botbuilder/`); nothing else imports it.
"""
