"""The database: connecting (a configured DSN or the embedded server) and migrating it.

Settings: README.md, "Configuration" and "Migrations".
"""
