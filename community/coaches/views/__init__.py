"""The coaches blueprint (every ``coaches.*`` endpoint), its pages split by area:

* :mod:`.directory` – the public directory and a coach's profile page;
* :mod:`.applications` – applying to be a coach, and moderators reviewing applications;
* :mod:`.coach_pages` – a coach's own profile, being away, and their threads;
* :mod:`.threads` – the coach part of a thread: asking a coach, answering, letting the coach
  go, coach replies, and the thread sections that show it.

Importing this package attaches every route to :data:`bp`; nothing is registered with an
app until :func:`community.coaches.init_app` does it.
"""

from __future__ import annotations

from community.coaches.views import applications, coach_pages, directory, threads
from community.coaches.views.base import bp, coach_nav

__all__ = ["applications", "bp", "coach_nav", "coach_pages", "directory", "threads"]
