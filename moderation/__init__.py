"""Moderation: the queue, screening, decisions, flags, sanctions, safeguarding and the audit log.

Features import only :mod:`moderation.api`; moderation never imports a feature (it knows
them through :func:`moderation.api.register_kind` and its signals).

Inside, one module per responsibility: ``submissions`` (content into the queue),
``screening`` (the job and its screeners) with ``text_screening`` (the pure text checks),
``policy`` (trusted authors), ``queue`` (reading it), ``claims``, ``decisions``,
``safeguarding``, ``dashboard``, ``records`` (a person's record), ``feedback`` (what
authors see), ``flags``, ``sanctions``, ``audit``, ``wording`` (what people read),
``registry``, ``signals``, ``access``, ``models``; the pages are ``views``, ``notices``
and ``forms``.
"""
