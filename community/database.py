"""The request's unit of work: services flush, the request commits once.

A request commits when its response is a success (status below 400) and rolls
back otherwise, so a form re-shown with errors (422) never saves half a change.
Jobs queued during the request are dispatched only after the commit.
"""

from __future__ import annotations

from flask import Flask, Response

from community import jobs
from community.extensions import db


def commit_unit_of_work() -> None:
    """Commit the session, then dispatch the jobs the transaction queued."""
    db.session.commit()
    jobs.dispatch_pending()


def rollback_unit_of_work() -> None:
    """Roll the session back and forget the jobs it queued."""
    db.session.rollback()
    jobs.discard_pending()


def init_app(app: Flask) -> None:
    @app.after_request
    def _finish_unit_of_work(response: Response) -> Response:
        if response.status_code < 400:
            commit_unit_of_work()
        else:
            rollback_unit_of_work()
        return response

    @app.teardown_request
    def _rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            rollback_unit_of_work()
