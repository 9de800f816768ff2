"""Errors a user can fix: the command line prints them as one line and exits with status 2."""


class UserError(Exception):
    """Bad input or environment the user can fix (a file, a key, a DSN).

    The message is the whole story: it names the thing that is wrong, on one line.
    Anything else that escapes is a bug and keeps its traceback.
    """

    exit_status = 2
