"""Qt widgets and item models. They call desktop.services only; see docs/ARCHITECTURE.md."""
