"""File intake: partners' files taken once, validated row by row, good rows loaded, bad rows quarantined.

``take_file`` takes one file of a kind (readings from handheld terminals, bank statements, mobile money
statements, prepaid vending exports, or the files of a data migration); ``replay_file`` validates a file's
quarantined rows again after a fix and loads those that pass. Formats: ``docs/formats.md``.
"""

from yeelen.intake.take import TakeReport, replay_file, take_file

__all__ = ["TakeReport", "replay_file", "take_file"]
