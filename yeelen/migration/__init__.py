"""Data migration from another system: ``yeelen import <folder>`` and ``yeelen export <folder>``."""
