"""Moderation: the queue, screening, decisions and the audit log.

Features call :mod:`moderation.services`; moderation never imports a feature.
"""
