"""The dependency audit run by CI (`make audit`): installed packages against known vulnerabilities."""
