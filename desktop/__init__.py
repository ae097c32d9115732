"""Otklik (Отклик): citizen messages from social networks for municipal press offices."""

from importlib import metadata

APP_NAME = "Отклик"
DISTRIBUTION = "otklik"

try:
    __version__ = metadata.version(DISTRIBUTION)
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
