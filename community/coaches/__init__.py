"""Coaches: vetted adult volunteers with lived experience, whom the asker chooses.

* :mod:`.services` – applications, profiles (public text moderated like any post), the directory;
* :mod:`.attachments` – the asker's request, the coach's answer, expiry, release, coach replies;
* :mod:`.lounge` – a small forum only coaches and moderators can see.
"""
