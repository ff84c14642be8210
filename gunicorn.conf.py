"""gunicorn settings: ``gunicorn wsgi:app`` picks this file up from the working directory.

The access log leaves out the client address, the user agent and the referrer, and the
error log has client addresses taken out (gunicorn writes "Invalid request from ip=…"
for a malformed request): Assist keeps no data that could tell who a young person is.
"""

import logging
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Behind a reverse proxy, let the app read X-Forwarded-* (ASSIST_PROXY_FIX_X_FOR=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

_IPV4 = r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"
_MAPPED = r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,6}(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"  # ::ffff:1.2.3.4
_IPV6 = r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"
_ADDRESS = re.compile(f"{_MAPPED}|{_IPV4}|{_IPV6}")


class _NoAddresses(logging.Filter):
    """Replace every IP address in a record with ``[address]``, except the ones gunicorn
    itself listens on ("Listening at: http://127.0.0.1:8000" stays useful)."""

    def __init__(self, own: set[str]) -> None:
        super().__init__()
        self.own = own

    def _scrub(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            found = match.group(0)
            if found in self.own or (":" in found and "::" not in found and found.count(":") < 7):
                return found  # our own address, or a clock time such as 15:42:05
            return "[address]"

        return _ADDRESS.sub(replace, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self._scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        return True


class AnonymousLogger(Logger):
    """gunicorn's logger with client addresses taken out of the error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        own = {address.rsplit(":", 1)[0].strip("[]") for address in cfg.bind}
        self.error_log.addFilter(_NoAddresses(own))


logger_class = AnonymousLogger
