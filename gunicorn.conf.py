"""gunicorn settings: ``gunicorn wsgi:app`` picks this file up from the working directory.

The access log leaves out the client address, the user agent and the referrer: Assist
keeps no data that could tell who a young person is.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Behind a reverse proxy, let the app read X-Forwarded-* (ASSIST_PROXY_FIX_X_FOR=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
