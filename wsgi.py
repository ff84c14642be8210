"""The WSGI entry point: ``gunicorn wsgi:app``. The only module that builds an app on import."""

from community import create_app

app = create_app()
