"""What a backup, restore or move can end with besides success."""


class BackupError(Exception):
    """A backup, restore or move failed; nothing was changed unless the message says so."""

    exit_code = 1


class RefusedError(BackupError):
    """The operation was refused before anything was changed (exit code 2)."""

    exit_code = 2
