"""The Bot Framework SDK (botbuilder, botframework-connector, msrest): the only modules that import it."""
