"""Process configuration: settings (the one reader of the environment) and log output."""
